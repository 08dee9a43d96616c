package org.crmkit.funnel;

import org.crmkit.core.ValidationException;

/**
 * The historical stage-to-win rate of one open stage: of the closed opportunities that
 * reached the stage, the share that was won. A forecast uses it as the probability of an
 * open opportunity at that stage.
 *
 * @param index the open stage index
 * @param code the stage code
 * @param closedReached closed opportunities (won or lost) that reached the stage
 * @param wonReached won opportunities that reached the stage
 * @param rate {@code wonReached / closedReached}, null when nothing closed reached it
 */
public record StageWinRate(int index, String code, long closedReached, long wonReached, Double rate) {
    /**
     * Validates the rate.
     *
     * @throws ValidationException when counts are negative or inconsistent
     */
    public StageWinRate {
        ValidationException.requireText(code, "code");
        ValidationException.require(wonReached >= 0 && wonReached <= closedReached, "wonReached", wonReached,
                "between 0 and closedReached " + closedReached);
        ValidationException.require((rate == null) == (closedReached == 0), "rate", rate,
                "a rate exactly when closedReached > 0");
    }
}
