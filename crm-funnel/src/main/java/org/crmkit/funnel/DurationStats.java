package org.crmkit.funnel;

import org.crmkit.core.ValidationException;
import org.crmkit.funnel.spi.DurationSummary;

/**
 * Mean and median of a set of durations, in days, with the error bound of the median.
 *
 * <p>The mean is exact (sum of seconds over count). The median comes from an exact,
 * mergeable histogram of whole days: each duration is truncated to whole days before it is
 * counted, and truncation is monotone, so the reported median is at most the true median
 * and less than one day below it: {@code medianDays <= true median < medianDays +
 * medianErrorDays}.
 *
 * @param count the number of durations
 * @param meanDays the exact mean in days, null when there is none
 * @param medianDays the median in days, null when there is none
 * @param medianErrorDays the bound of the median's error in days (1, an underestimate by
 *     less than a day), null when there is no duration
 */
public record DurationStats(long count, Double meanDays, Double medianDays, Double medianErrorDays) {
    /** The error bound of a median read from a whole-day histogram, in days. */
    public static final double MEDIAN_ERROR_DAYS = 1.0;

    /**
     * Validates the stats.
     *
     * @throws ValidationException when the count is negative or the figures do not match it
     */
    public DurationStats {
        ValidationException.require(count >= 0, "count", count, "a count >= 0");
        ValidationException.require((count == 0) == (meanDays == null) && (meanDays == null) == (medianDays == null)
                && (medianDays == null) == (medianErrorDays == null), "meanDays", meanDays,
                "figures exactly when count > 0");
    }

    /**
     * Stats with the error bound of a whole-day histogram.
     *
     * @param count the number of durations
     * @param meanDays the exact mean in days, null when there is none
     * @param medianDays the median in days, null when there is none
     */
    public DurationStats(long count, Double meanDays, Double medianDays) {
        this(count, meanDays, medianDays, count == 0 ? null : MEDIAN_ERROR_DAYS);
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
