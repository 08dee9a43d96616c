package org.crmkit.funnel;

import org.crmkit.core.ValidationException;
import org.crmkit.funnel.spi.DurationSummary;

/**
 * Mean and median of a set of durations, in days.
 *
 * @param count the number of durations
 * @param meanDays the exact mean in days, null when there is none
 * @param medianDays the median in days, null when there is none; computed from an exact
 *     histogram of whole days, so it is exact up to the truncation of each duration to whole
 *     days (error below one day)
 */
public record DurationStats(long count, Double meanDays, Double medianDays) {
    /**
     * Validates the stats.
     *
     * @throws ValidationException when the count is negative or the figures do not match it
     */
    public DurationStats {
        ValidationException.require(count >= 0, "count", count, "a count >= 0");
        ValidationException.require((count == 0) == (meanDays == null) && (meanDays == null) == (medianDays == null),
                "meanDays", meanDays, "figures exactly when count > 0");
    }

    /**
     * The stats of a summary.
     *
     * @param summary the mergeable summary
     * @return the stats
     */
    public static DurationStats of(DurationSummary summary) {
        if (summary.count() == 0) {
            return new DurationStats(0, null, null);
        }
        return new DurationStats(summary.count(), summary.meanDays().getAsDouble(),
                summary.medianDays().getAsDouble());
    }
}
