package org.crmkit.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link OpportunityRepository#upsertAll}: every opportunity of the batch is in
 * exactly one of the four counts.
 *
 * @param inserted opportunities whose id was not stored, now stored at version 1
 * @param updated stored opportunities replaced by a changed copy, now at the stored version + 1
 * @param unchanged stored opportunities whose content (everything but the version) equalled the
 *     given copy: nothing was written and their version is kept
 * @param conflicts the opportunities not written because of their version, in batch order
 */
public record UpsertResult(long inserted, long updated, long unchanged, List<UpsertConflict> conflicts) {
    /**
     * Validates the counts and copies the conflicts.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public UpsertResult {
        if (inserted < 0 || updated < 0 || unchanged < 0) {
            throw new IllegalArgumentException("counts must be >= 0: " + inserted + ", " + updated + ", " + unchanged);
        }
        conflicts = List.copyOf(Objects.requireNonNull(conflicts, "conflicts"));
    }

    /**
     * How many opportunities the batch held.
     *
     * @return inserted + updated + unchanged + conflicts
     */
    public long size() {
        return inserted + updated + unchanged + conflicts.size();
    }

    /**
     * How many were written (inserted or updated).
     *
     * @return inserted + updated
     */
    public long written() {
        return inserted + updated;
    }
}
