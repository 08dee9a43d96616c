package org.crmkit.forecast;

import org.crmkit.core.ValidationException;

/**
 * The measured time from entering a stage to the deal's outcome, for one pool of history (the
 * process, a unit or a manager), estimated with {@link TimeToCloseModel}'s method: every entry
 * into the stage is an episode that ends when the deal is won or lost, or is censored at the
 * model's as-of date while the deal is still open; won and lost are competing outcomes
 * (Aalen–Johansen cumulative incidence). Probabilities are of an episode just entering the
 * stage.
 *
 * @param processId the process
 * @param stage the stage code
 * @param pool where the history comes from: {@code process}, {@code unit:<id>} or {@code manager:<id>}
 * @param episodes entries into the stage the estimate rests on
 * @param won episodes that ended in a win
 * @param lost episodes that ended in a loss
 * @param censored episodes still open at the as-of date
 * @param winProbability P(won) within the observed horizon
 * @param lossProbability P(lost) within the observed horizon
 * @param unresolved the probability the data cannot place: still open after the longest
 *     observed episode (1 − win − loss)
 * @param medianDaysToWin days from entry by which half the wins have happened, null when none
 * @param p90DaysToWin days from entry by which 90 % of the wins have happened, null when none
 * @param medianDaysToLoss days from entry by which half the losses have happened, null when none
 * @param winWithin30Days P(won within 30 days of entry)
 * @param winWithin90Days P(won within 90 days of entry)
 * @param horizonDays the longest observed episode, in days
 */
public record StageTiming(String processId, String stage, String pool, long episodes, long won, long lost,
        long censored, double winProbability, double lossProbability, double unresolved, Integer medianDaysToWin,
        Integer p90DaysToWin, Integer medianDaysToLoss, double winWithin30Days, double winWithin90Days,
        int horizonDays) {
    /**
     * Validates the figures.
     *
     * @throws ValidationException when a value is missing or the counts do not add up
     */
    public StageTiming {
        ValidationException.requireText(processId, "processId");
        ValidationException.requireText(stage, "stage");
        ValidationException.requireText(pool, "pool");
        ValidationException.require(won >= 0 && lost >= 0 && censored >= 0 && won + lost + censored == episodes,
                "episodes", episodes, "won + lost + censored");
    }
}
