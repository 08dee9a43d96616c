package org.crmkit.funnel.spi;

import java.util.Arrays;
import java.util.Objects;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ValidationException;

/**
 * An exact, mergeable histogram of whole-day durations: how many observations lasted
 * {@code d} days, for each {@code d >= 0}. Merging adds the counts of equal days, so merge is
 * associative and commutative and {@link #empty()} is its identity; quantiles read from it
 * are exact to the day (the only error is the truncation of each observation to whole days,
 * which happens before it is counted).
 *
 * <p>Immutable; held as two sorted parallel arrays (days ascending, counts positive).
 */
public final class DayHistogram {
    private static final DayHistogram EMPTY = new DayHistogram(new int[0], new long[0]);

    private final int[] days;
    private final long[] counts;

    private DayHistogram(int[] days, long[] counts) {
        this.days = days;
        this.counts = counts;
    }

    /**
     * The empty histogram, identity of {@link #merge}.
     *
     * @return the empty histogram
     */
    public static DayHistogram empty() {
        return EMPTY;
    }

    /**
     * A histogram of one observation.
     *
     * @param day the duration in whole days, not negative
     * @return the histogram
     * @throws ValidationException when {@code day} is negative
     */
    public static DayHistogram of(int day) {
        if (day < 0) {
            throw new ValidationException("days[0]", day, "a duration >= 0 days");
        }
        return new DayHistogram(new int[] {day}, new long[] {1});
    }

    /**
     * A histogram from (day, count) pairs, e.g. the rows of
     * {@code SELECT days, COUNT(*) ... GROUP BY days}. Days may come in any order and repeat;
     * their counts are added. Pairs with a zero count are dropped.
     *
     * @param days the durations in whole days, each not negative
     * @param counts the number of observations per entry of {@code days}, each not negative
     * @return the histogram
     * @throws ValidationException when the arrays differ in length or hold a negative value
     */
    public static DayHistogram of(int[] days, long[] counts) {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(counts, "counts");
        if (days.length != counts.length) {
            throw new ValidationException("counts.length", counts.length, "the length of days: " + days.length);
        }
        boolean ascending = true;
        int n = 0;
        for (int i = 0; i < days.length; i++) {
            if (days[i] < 0) {
                throw new ValidationException("days[" + i + "]", days[i], "a duration >= 0 days");
            }
            if (counts[i] < 0) {
                throw new ValidationException("counts[" + i + "]", counts[i], "a count >= 0");
            }
            if (counts[i] > 0) {
                n++;
            }
            if (i > 0 && days[i] <= days[i - 1]) {
                ascending = false;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        if (ascending && n == days.length) {
            // already in canonical form (the usual shape of internally built histograms)
            return new DayHistogram(days.clone(), counts.clone());
        }
        // sort (day, index) pairs packed in one long: a primitive sort, no boxing
        long[] order = new long[n];
        int k = 0;
        for (int i = 0; i < days.length; i++) {
            if (counts[i] > 0) {
                order[k++] = ((long) days[i] << 32) | i;
            }
        }
        Arrays.sort(order);
        int[] outDays = new int[n];
        long[] outCounts = new long[n];
        int m = 0;
        for (k = 0; k < n; k++) {
            int i = (int) order[k];
            if (m > 0 && outDays[m - 1] == days[i]) {
                outCounts[m - 1] = AmountOverflowException.add(outCounts[m - 1], counts[i], "day histogram count");
            } else {
                outDays[m] = days[i];
                outCounts[m] = counts[i];
                m++;
            }
        }
        return m == n ? new DayHistogram(outDays, outCounts)
                : new DayHistogram(Arrays.copyOf(outDays, m), Arrays.copyOf(outCounts, m));
    }

    /**
     * A histogram from a dense array: {@code countsByDay[d]} observations of {@code d} days.
     *
     * @param countsByDay counts indexed by day, each not negative
     * @return the histogram
     * @throws ValidationException when a count is negative
     */
    public static DayHistogram ofDense(long[] countsByDay) {
        Objects.requireNonNull(countsByDay, "countsByDay");
        int n = 0;
        for (int d = 0; d < countsByDay.length; d++) {
            long c = countsByDay[d];
            if (c < 0) {
                throw new ValidationException("countsByDay[" + d + "]", c, "a count >= 0");
            }
            if (c > 0) {
                n++;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        int[] outDays = new int[n];
        long[] outCounts = new long[n];
        int m = 0;
        for (int d = 0; d < countsByDay.length; d++) {
            if (countsByDay[d] > 0) {
                outDays[m] = d;
                outCounts[m++] = countsByDay[d];
            }
        }
        return new DayHistogram(outDays, outCounts);
    }

    /**
     * Merges two histograms by adding the counts of equal days.
     *
     * @param other the other histogram
     * @return the merged histogram
     */
    public DayHistogram merge(DayHistogram other) {
        Objects.requireNonNull(other, "other");
        if (other.days.length == 0) {
            return this;
        }
        if (days.length == 0) {
            return other;
        }
        int[] d = new int[days.length + other.days.length];
        long[] c = new long[d.length];
        int i = 0;
        int j = 0;
        int m = 0;
        while (i < days.length || j < other.days.length) {
            if (j >= other.days.length || (i < days.length && days[i] < other.days[j])) {
                d[m] = days[i];
                c[m++] = counts[i++];
            } else if (i >= days.length || other.days[j] < days[i]) {
                d[m] = other.days[j];
                c[m++] = other.counts[j++];
            } else {
                d[m] = days[i];
                c[m++] = AmountOverflowException.add(counts[i++], other.counts[j++], "day histogram count");
            }
        }
        return m == d.length ? new DayHistogram(d, c) : new DayHistogram(Arrays.copyOf(d, m), Arrays.copyOf(c, m));
    }

    /**
     * Removes the observations of another histogram: the exact inverse of {@link #merge}, so a
     * maintained histogram can take back what an earlier merge added.
     *
     * @param other a histogram whose observations are all part of this one
     * @return this histogram without them
     * @throws ValidationException when {@code other} holds a day more often than this one
     */
    public DayHistogram minus(DayHistogram other) {
        Objects.requireNonNull(other, "other");
        if (other.days.length == 0) {
            return this;
        }
        int[] d = new int[days.length];
        long[] c = new long[days.length];
        int j = 0;
        int m = 0;
        for (int i = 0; i < days.length; i++) {
            long count = counts[i];
            if (j < other.days.length && other.days[j] < days[i]) {
                throw notAPart(other);
            }
            if (j < other.days.length && other.days[j] == days[i]) {
                count -= other.counts[j++];
                if (count < 0) {
                    throw notAPart(other);
                }
            }
            if (count > 0) {
                d[m] = days[i];
                c[m++] = count;
            }
        }
        if (j < other.days.length) {
            throw notAPart(other);
        }
        return m == 0 ? EMPTY : new DayHistogram(Arrays.copyOf(d, m), Arrays.copyOf(c, m));
    }

    private ValidationException notAPart(DayHistogram other) {
        return new ValidationException("histogram.minus", other, "a part of " + this);
    }

    /** The distinct days, ascending, without a copy (for the accumulators of this package). */
    int[] daysArray() {
        return days;
    }

    /** The counts per day, without a copy. */
    long[] countsArray() {
        return counts;
    }

    /** A histogram from arrays already in canonical form (sorted distinct days, positive counts), not copied. */
    static DayHistogram ofCanonical(int[] days, long[] counts) {
        return days.length == 0 ? EMPTY : new DayHistogram(days, counts);
    }

    /**
     * The number of observations.
     *
     * @return the total count
     */
    public long count() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * Whether the histogram holds no observation.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return days.length == 0;
    }

    /**
     * The distinct days observed, ascending.
     *
     * @return a copy of the days
     */
    public int[] days() {
        return days.clone();
    }

    /**
     * The counts per entry of {@link #days()}.
     *
     * @return a copy of the counts
     */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * The median in days: the middle observation, or the mean of the two middle ones when
     * the count is even (exact, as the observations are whole days).
     *
     * @return the median, empty when there is no observation
     */
    public java.util.OptionalDouble median() {
        long n = count();
        if (n == 0) {
            return java.util.OptionalDouble.empty();
        }
        long lo = (n - 1) / 2;
        long hi = n / 2;
        return java.util.OptionalDouble.of((dayAtRank(lo) + dayAtRank(hi)) / 2.0);
    }

    /**
     * The lowest day {@code d} such that at least {@code q × count} observations are at most
     * {@code d} days (the nearest-rank quantile).
     *
     * @param q the quantile, in [0, 1]
     * @return the quantile in whole days, empty when there is no observation
     * @throws ValidationException when {@code q} is outside [0, 1]
     */
    public java.util.OptionalInt quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new ValidationException("q", q, "a quantile in [0, 1]");
        }
        long n = count();
        if (n == 0) {
            return java.util.OptionalInt.empty();
        }
        long rank = Math.max(0, (long) Math.ceil(q * n) - 1);
        return java.util.OptionalInt.of(dayAtRank(rank));
    }

    private int dayAtRank(long rank) {
        long seen = 0;
        for (int i = 0; i < days.length; i++) {
            seen += counts[i];
            if (rank < seen) {
                return days[i];
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond count " + seen);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DayHistogram other && Arrays.equals(days, other.days) && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(days) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DayHistogram{");
        for (int i = 0; i < days.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(days[i]).append("d=").append(counts[i]);
        }
        return sb.append('}').toString();
    }
}
