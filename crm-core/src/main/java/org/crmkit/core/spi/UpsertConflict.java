package org.crmkit.core.spi;

import java.util.Objects;
import org.crmkit.core.OpportunityId;

/**
 * An opportunity {@link OpportunityRepository#upsertAll} did not write because its version
 * did not match the store's ({@link UpsertMode#CHECK_VERSIONS}).
 *
 * @param index its position in the batch given
 * @param opportunityId its id
 * @param givenVersion the version it carried (0: the caller took it for new)
 * @param storedVersion the version stored when the batch was written (0: not stored, e.g.
 *     deleted since the caller read it)
 */
public record UpsertConflict(int index, OpportunityId opportunityId, long givenVersion, long storedVersion) {
    /**
     * Validates the conflict.
     *
     * @throws IllegalArgumentException when the index or a version is negative, or the versions agree
     */
    public UpsertConflict {
        Objects.requireNonNull(opportunityId, "opportunityId");
        if (index < 0 || givenVersion < 0 || storedVersion < 0) {
            throw new IllegalArgumentException("index and versions must be >= 0: " + index + ", " + givenVersion
                    + ", " + storedVersion);
        }
        if (givenVersion == storedVersion) {
            throw new IllegalArgumentException("not a conflict: both versions are " + givenVersion);
        }
    }

    @Override
    public String toString() {
        return "batch[" + index + "] " + opportunityId + ": given version " + givenVersion + ", stored "
                + (storedVersion == 0 ? "none" : "version " + storedVersion);
    }
}
