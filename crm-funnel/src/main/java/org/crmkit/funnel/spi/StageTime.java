package org.crmkit.funnel.spi;

import org.crmkit.core.ValidationException;

/**
 * The time an opportunity spent in one open stage, over all its completed visits of that
 * stage (each visit from the transition entering the stage to the next transition, both
 * before the evaluation instant).
 *
 * @param stage the open stage index (by {@code SalesProcess.indexOf})
 * @param seconds the total seconds spent in completed visits, not negative
 */
public record StageTime(int stage, long seconds) {
    /**
     * Validates the value.
     *
     * @throws ValidationException when a value is negative
     */
    public StageTime {
        if (!(stage >= 0)) {
            throw new ValidationException("stageTime.stage", stage, "an open stage index >= 0");
        }
        if (!(seconds >= 0)) {
            throw new ValidationException("stageTime.seconds", seconds, "seconds >= 0");
        }
    }
}
