package org.crmkit.core.spi;

import java.util.List;
import java.util.Objects;
import org.crmkit.core.Rejection;

/**
 * The outcome of a batch insert in {@link BatchMode#STORE_VALID} mode.
 *
 * @param inserted how many opportunities were stored
 * @param rejections the opportunities not stored, in batch order, each with every failure
 *     found in it ({@link Rejection#index()} is its position in the batch given)
 */
public record InsertResult(long inserted, List<Rejection> rejections) {
    /**
     * Validates and copies the rejections.
     *
     * @throws IllegalArgumentException when {@code inserted} is negative
     */
    public InsertResult {
        if (inserted < 0) {
            throw new IllegalArgumentException("inserted must be >= 0: " + inserted);
        }
        rejections = List.copyOf(Objects.requireNonNull(rejections, "rejections"));
    }

    /**
     * Whether every opportunity of the batch was stored.
     *
     * @return true when nothing was rejected
     */
    public boolean allInserted() {
        return rejections.isEmpty();
    }
}
