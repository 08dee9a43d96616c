package org.crmkit.funnel;

import java.math.BigDecimal;
import java.util.List;
import org.crmkit.core.ManagerId;
import org.crmkit.core.ValidationException;

/**
 * The figures of one open stage of a funnel. Amounts are in the result's reporting
 * currency, rounded half-even to its minor unit (sums are exact before that rounding).
 *
 * @param index the open stage index (0 is the first stage)
 * @param code the stage code
 * @param name the stage name
 * @param reached how many opportunities reached the stage (under the query's counting
 *     policy; in ACTIVITY mode, newly reached during the period)
 * @param at how many are at the stage (open, at this stage as of the evaluation instant)
 * @param reachedAmount the amount of those that reached the stage
 * @param atAmount the amount of those at the stage
 * @param atWeightedAmount the probability-weighted amount of those at the stage
 * @param stepConversion {@code reached / reached(previous stage)}; for the first stage 1
 *     when anything reached it; null when the denominator is 0
 * @param cumulativeConversion {@code reached / reached(first stage)}, null when the
 *     denominator is 0
 * @param dropOff how many were lost with this as their furthest stage
 * @param timeInStage the time spent in the stage by those who left it
 * @param owners the owners of the opportunities that reached the stage, sorted
 */
public record StageFigures(int index, String code, String name, long reached, long at, BigDecimal reachedAmount,
        BigDecimal atAmount, BigDecimal atWeightedAmount, Double stepConversion, Double cumulativeConversion,
        long dropOff, DurationStats timeInStage, List<ManagerId> owners) {
    /**
     * Validates the figures and copies the owners.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public StageFigures {
        ValidationException.require(index >= 0, "index", index, "an index >= 0");
        ValidationException.requireText(code, "code");
        ValidationException.requireText(name, "name");
        ValidationException.require(reached >= 0 && at >= 0 && dropOff >= 0, "reached", reached, "counts >= 0");
        ValidationException.requireNonNull(reachedAmount, "reachedAmount");
        ValidationException.requireNonNull(atAmount, "atAmount");
        ValidationException.requireNonNull(atWeightedAmount, "atWeightedAmount");
        ValidationException.requireNonNull(timeInStage, "timeInStage");
        owners = List.copyOf(ValidationException.requireNonNull(owners, "owners"));
    }
}
