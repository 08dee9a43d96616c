package org.crmkit.funnel.spi;

import java.util.Objects;
import org.crmkit.core.ValidationException;

/**
 * The measures of a funnel cell: exact sums over the opportunities of the cell, in minor
 * units of the cell's currency. {@link #merge} adds componentwise (associative,
 * commutative), {@link #empty()} is its identity.
 *
 * @param count the number of opportunities
 * @param amountMinor the sum of their amounts in minor units (an unknown amount counts 0)
 * @param weightedPercentMinor the sum of {@code amountMinor × probability} (probability in
 *     percent, 0–100); divide by 100 for the weighted amount in minor units
 * @param revenueMinor the sum of the actual revenue of those won at the evaluation instant
 * @param cycle the durations from creation to closing of those closed at the evaluation
 *     instant
 */
public record CellMeasures(long count, long amountMinor, long weightedPercentMinor, long revenueMinor,
        DurationSummary cycle) {
    private static final CellMeasures EMPTY = new CellMeasures(0, 0, 0, 0, DurationSummary.empty());

    /**
     * Validates the measures.
     *
     * @throws ValidationException when a value is negative or missing
     */
    public CellMeasures {
        // checks first, messages only on failure: measures are built per cell on hot paths
        if (count < 0) {
            throw new ValidationException("cell.count", count, "a count >= 0");
        }
        if (amountMinor < 0) {
            throw new ValidationException("cell.amountMinor", amountMinor, "a sum >= 0");
        }
        if (weightedPercentMinor < 0) {
            throw new ValidationException("cell.weightedPercentMinor", weightedPercentMinor, "a sum >= 0");
        }
        if (revenueMinor < 0) {
            throw new ValidationException("cell.revenueMinor", revenueMinor, "a sum >= 0");
        }
        ValidationException.requireNonNull(cycle, "cell.cycle");
        if (cycle.count() > count) {
            throw new ValidationException("cell.cycle.count", cycle.count(), "at most the cell count " + count);
        }
    }

    /**
     * The empty measures.
     *
     * @return the identity of {@link #merge}
     */
    public static CellMeasures empty() {
        return EMPTY;
    }

    /**
     * Adds two measures, with overflow checked.
     *
     * @param other the other measures
     * @return the sum
     * @throws ArithmeticException when a sum overflows a {@code long}
     */
    public CellMeasures merge(CellMeasures other) {
        Objects.requireNonNull(other, "other");
        return new CellMeasures(Math.addExact(count, other.count), Math.addExact(amountMinor, other.amountMinor),
                Math.addExact(weightedPercentMinor, other.weightedPercentMinor),
                Math.addExact(revenueMinor, other.revenueMinor), cycle.merge(other.cycle));
    }
}
