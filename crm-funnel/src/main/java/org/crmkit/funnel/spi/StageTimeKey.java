package org.crmkit.funnel.spi;

import org.crmkit.core.ManagerId;
import org.crmkit.core.ValidationException;

/**
 * The grouping key of a time-in-stage cell.
 *
 * @param owner the opportunity owner
 * @param stage the open stage index
 * @param bucket the index of the query's period bucket, {@code 0} without bucketing
 */
public record StageTimeKey(ManagerId owner, int stage, int bucket) {
    /**
     * Validates the key.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public StageTimeKey {
        ValidationException.requireNonNull(owner, "stageTime.owner");
        if (!(stage >= 0)) {
            throw new ValidationException("stageTime.stage", stage, "an open stage index >= 0");
        }
        if (!(bucket >= 0)) {
            throw new ValidationException("stageTime.bucket", bucket, "a bucket index >= 0");
        }
    }
}
