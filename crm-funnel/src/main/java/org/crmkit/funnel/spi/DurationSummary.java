package org.crmkit.funnel.spi;

import java.util.Objects;
import java.util.OptionalDouble;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ValidationException;

/**
 * A mergeable summary of durations: how many, their exact sum in seconds (for an exact mean)
 * and an exact histogram of their whole-day truncations (for the median and other
 * quantiles, exact to the day). {@link #merge} adds componentwise; {@link #empty()} is its
 * identity.
 *
 * @param count the number of durations
 * @param secondsSum the sum of the durations in seconds
 * @param days the histogram of the durations truncated to whole days
 *     ({@code floor(seconds / 86400)})
 */
public record DurationSummary(long count, long secondsSum, DayHistogram days) {
    private static final DurationSummary EMPTY = new DurationSummary(0, 0, DayHistogram.empty());

    /** Seconds per day, the unit of {@link #days()}. */
    public static final long SECONDS_PER_DAY = 86_400L;

    /**
     * Validates the summary.
     *
     * @throws ValidationException when a value is negative or the histogram count differs
     *     from {@code count}
     */
    public DurationSummary {
        // checks first, messages only on failure: summaries are built per cell on hot paths
        if (count < 0) {
            throw new ValidationException("duration.count", count, "a count >= 0");
        }
        if (secondsSum < 0) {
            throw new ValidationException("duration.secondsSum", secondsSum, "a sum >= 0");
        }
        Objects.requireNonNull(days, "days");
        if (days.count() != count) {
            throw new ValidationException("duration.days", days.count(), "a histogram holding the count " + count);
        }
    }

    /**
     * The empty summary.
     *
     * @return the identity of {@link #merge}
     */
    public static DurationSummary empty() {
        return EMPTY;
    }

    /**
     * A summary of one duration.
     *
     * @param seconds the duration in seconds, not negative
     * @return the summary
     * @throws ValidationException when {@code seconds} is negative
     */
    public static DurationSummary ofSeconds(long seconds) {
        if (seconds < 0) {
            throw new ValidationException("duration.seconds", seconds, "a duration >= 0");
        }
        return new DurationSummary(1, seconds, DayHistogram.of(Math.toIntExact(seconds / SECONDS_PER_DAY)));
    }

    /**
     * Adds two summaries.
     *
     * @param other the other summary
     * @return the merged summary
     */
    public DurationSummary merge(DurationSummary other) {
        Objects.requireNonNull(other, "other");
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        return new DurationSummary(AmountOverflowException.add(count, other.count, "duration count"),
                AmountOverflowException.add(secondsSum, other.secondsSum, "duration seconds"),
                days.merge(other.days));
    }

    /**
     * Removes durations added earlier: the exact inverse of {@link #merge}.
     *
     * @param other a summary of durations that are part of this one
     * @return this summary without them
     * @throws ValidationException when {@code other} is not a part of this summary
     */
    public DurationSummary minus(DurationSummary other) {
        Objects.requireNonNull(other, "other");
        if (other.count == 0) {
            return this;
        }
        if (other.count > count || other.secondsSum > secondsSum) {
            throw new ValidationException("duration.minus", other, "a part of " + this);
        }
        DayHistogram rest = days.minus(other.days);
        return rest.isEmpty() ? EMPTY : new DurationSummary(count - other.count, secondsSum - other.secondsSum, rest);
    }

    /**
     * The exact mean in days.
     *
     * @return the mean, empty when there is no duration
     */
    public OptionalDouble meanDays() {
        return count == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) secondsSum / SECONDS_PER_DAY / count);
    }

    /**
     * The median in whole days, exact to the day.
     *
     * @return the median, empty when there is no duration
     */
    public OptionalDouble medianDays() {
        return days.median();
    }
}
