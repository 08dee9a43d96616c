package org.crmkit.funnel.spi;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ValidationException;

/**
 * A mutable sum of {@link DurationSummary duration summaries}: adding one costs its distinct
 * days, where a chain of immutable merges copies the whole histogram each time. Days below
 * {@link #DENSE_DAYS} are counted in a dense array, larger ones (durations beyond 179 years,
 * which only hand-made data has) in a sorted map. Counts may go negative while summing and
 * subtracting; {@link #summary()} checks that the end result is a histogram. Not
 * thread-safe.
 */
final class DurationAccumulator {
    private static final int DENSE_DAYS = 1 << 16;

    private long count;
    private long secondsSum;
    private long[] dense = new long[0];
    private TreeMap<Integer, Long> far;
    /** The highest day in {@link #dense} touched (-1: none). */
    private int maxDay = -1;
    /** The lowest day in {@link #dense} touched. */
    private int minDay = Integer.MAX_VALUE;

    /** Adds ({@code sign} 1) or subtracts ({@code sign} -1) a summary. */
    void add(DurationSummary d, int sign) {
        if (d.count() == 0) {
            return;
        }
        DayHistogram h = d.days();
        add(d.count(), d.secondsSum(), h.daysArray(), h.countsArray(), h.daysArray().length, sign);
    }

    /**
     * Adds or subtracts a summary given by its parts.
     *
     * @param n the number of durations
     * @param seconds their sum in seconds
     * @param days distinct days (any order)
     * @param counts the count of each day
     * @param size how many entries of the arrays to read
     * @param sign 1 to add, -1 to subtract
     */
    void add(long n, long seconds, int[] days, long[] counts, int size, int sign) {
        if (n == 0) {
            return;
        }
        count = AmountOverflowException.add(count, sign * n, "duration count");
        secondsSum = AmountOverflowException.add(secondsSum, sign * seconds, "duration seconds");
        for (int i = 0; i < size; i++) {
            int day = days[i];
            long c = sign * counts[i];
            if (day < DENSE_DAYS) {
                if (day >= dense.length) {
                    dense = Arrays.copyOf(dense, Math.min(DENSE_DAYS, Math.max(64, Math.max(day + 1, dense.length * 2))));
                }
                dense[day] += c;
                if (day > maxDay) {
                    maxDay = day;
                }
                if (day < minDay) {
                    minDay = day;
                }
            } else {
                if (far == null) {
                    far = new TreeMap<>();
                }
                far.merge(day, c, Long::sum);
            }
        }
    }

    /** Adds one duration (no allocation on the usual path: a source may add millions). */
    void addOne(long seconds) {
        int day = Math.toIntExact(seconds / DurationSummary.SECONDS_PER_DAY);
        if (day >= DENSE_DAYS) {
            add(1, seconds, new int[] {day}, new long[] {1}, 1, 1);
            return;
        }
        count++;
        secondsSum = AmountOverflowException.add(secondsSum, seconds, "duration seconds");
        if (day >= dense.length) {
            dense = Arrays.copyOf(dense, Math.min(DENSE_DAYS, Math.max(64, Math.max(day + 1, dense.length * 2))));
        }
        dense[day]++;
        if (day > maxDay) {
            maxDay = day;
        }
        if (day < minDay) {
            minDay = day;
        }
    }

    /** Whether nothing was added (or everything added was taken back). */
    boolean isEmpty() {
        return count == 0;
    }

    /**
     * The sum of the summaries added, less those subtracted.
     *
     * @throws ValidationException when a count or the seconds went negative (a summary was
     *     subtracted that had not been added)
     */
    DurationSummary summary() {
        if (count < 0 || secondsSum < 0) {
            throw new ValidationException("duration.minus", count, "a part of the durations summed (count >= 0)");
        }
        int k = 0;
        for (int day = minDay; day <= maxDay; day++) {
            long c = dense[day];
            if (c < 0) {
                throw new ValidationException("duration.minus", c, "a part of the durations summed (day " + day + ")");
            }
            if (c != 0) {
                k++;
            }
        }
        int farSize = 0;
        if (far != null) {
            for (Map.Entry<Integer, Long> e : far.entrySet()) {
                if (e.getValue() < 0) {
                    throw new ValidationException("duration.minus", e.getValue(),
                            "a part of the durations summed (day " + e.getKey() + ")");
                }
                farSize += e.getValue() == 0 ? 0 : 1;
            }
        }
        if (count == 0) {
            if (k + farSize > 0 || secondsSum != 0) {
                throw new ValidationException("duration.minus", secondsSum, "no seconds and no day without a duration");
            }
            return DurationSummary.empty();
        }
        int[] ds = new int[k + farSize];
        long[] cs = new long[ds.length];
        int j = 0;
        for (int day = minDay; day <= maxDay; day++) {
            if (dense[day] != 0) {
                ds[j] = day;
                cs[j++] = dense[day];
            }
        }
        if (far != null) {
            for (Map.Entry<Integer, Long> e : far.entrySet()) {
                if (e.getValue() != 0) {
                    ds[j] = e.getKey();
                    cs[j++] = e.getValue();
                }
            }
        }
        return new DurationSummary(count, secondsSum, DayHistogram.ofCanonical(ds, cs));
    }
}
