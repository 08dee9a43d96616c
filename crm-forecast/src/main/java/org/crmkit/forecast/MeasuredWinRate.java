package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ValidationException;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * The measured stage-to-win rate of one stage: among the opportunities that reached the
 * stage and closed in the measuring window, how many were won.
 *
 * @param process the sales process
 * @param stage the open stage code
 * @param won won among those that reached the stage
 * @param closed closed (won or lost) among those that reached the stage
 */
public record MeasuredWinRate(ProcessId process, String stage, long won, long closed) {
    /**
     * Validates the rate.
     *
     * @throws ValidationException when a value is missing, negative, or won exceeds closed
     */
    public MeasuredWinRate {
        ValidationException.requireNonNull(process, "process");
        ValidationException.requireText(stage, "stage");
        ValidationException.require(won >= 0, "won", won, "a count >= 0");
        ValidationException.require(closed >= won, "closed", closed, "a count >= won (" + won + ")");
    }

    /**
     * The rate in basis points, rounded half-even (the only rounding of the historical model).
     *
     * @return {@code won / closed} in basis points, empty when nothing closed
     */
    public Optional<Integer> basisPoints() {
        if (closed == 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(won).multiply(BigDecimal.valueOf(ProbabilityModel.ONE))
                .divide(BigDecimal.valueOf(closed), 0, RoundingMode.HALF_EVEN).intValueExact());
    }

    @Override
    public String toString() {
        return process + "/" + stage + ": " + won + "/" + closed + " won";
    }
}
