package org.crmkit.funnel.internal;

import java.util.Arrays;
import org.crmkit.funnel.spi.DayHistogram;
import org.crmkit.funnel.spi.DurationSummary;

/**
 * A mutable sum of {@link DurationSummary duration summaries}: adding one costs its distinct
 * days, where a chain of immutable merges copies the whole histogram each time. Days up to
 * {@link #DENSE_DAYS} are counted in a dense array, larger ones in (day, count) pairs.
 * Not thread-safe.
 */
final class DurationAccumulator {
    private static final int DENSE_DAYS = 1 << 16;

    private long count;
    private long secondsSum;
    private long[] dense = new long[0];
    private int[] farDays = new int[0];
    private long[] farCounts = new long[0];
    private int far;
    /** The highest day in {@link #dense} with a count (-1: none). */
    private int maxDay = -1;
    /** The lowest day in {@link #dense} with a count. */
    private int minDay = Integer.MAX_VALUE;

    /** Adds a summary. */
    void add(DurationSummary d) {
        if (d.count() == 0) {
            return;
        }
        DayHistogram h = d.days();
        add(d.count(), d.secondsSum(), h.days(), h.counts());
    }

    /** Adds a summary given by its parts (days sorted and distinct, counts positive). */
    void add(long n, long seconds, int[] days, long[] counts) {
        if (n == 0) {
            return;
        }
        count = Math.addExact(count, n);
        secondsSum = Math.addExact(secondsSum, seconds);
        for (int i = 0; i < days.length; i++) {
            int day = days[i];
            if (day < DENSE_DAYS) {
                if (day >= dense.length) {
                    int grown = Math.min(DENSE_DAYS, dense.length * 2);
                    dense = Arrays.copyOf(dense, Math.max(Math.max(64, day + 1), grown));
                }
                dense[day] = Math.addExact(dense[day], counts[i]);
                if (day > maxDay) {
                    maxDay = day;
                }
                if (day < minDay) {
                    minDay = day;
                }
            } else {
                if (far == farDays.length) {
                    farDays = Arrays.copyOf(farDays, Math.max(4, far * 2));
                    farCounts = Arrays.copyOf(farCounts, farDays.length);
                }
                farDays[far] = day;
                farCounts[far++] = counts[i];
            }
        }
    }

    /**
     * Writes the sum into slot {@code d} of figure arrays: count, seconds, and the histogram
     * as sorted distinct days with their counts (no {@link DayHistogram} built on the way).
     */
    void into(int d, long[] counts, long[] seconds, int[][] days, long[][] dayCounts) {
        counts[d] = count;
        seconds[d] = secondsSum;
        if (far > 0) {
            DayHistogram h = summary().days();
            days[d] = h.days();
            dayCounts[d] = h.counts();
            return;
        }
        int k = 0;
        for (int day = minDay; day <= maxDay; day++) {
            if (dense[day] != 0) {
                k++;
            }
        }
        int[] ds = new int[k];
        long[] cs = new long[k];
        for (int day = minDay, j = 0; day <= maxDay; day++) {
            if (dense[day] != 0) {
                ds[j] = day;
                cs[j++] = dense[day];
            }
        }
        days[d] = ds;
        dayCounts[d] = cs;
    }

    /** The sum of the summaries added, equal to their merge. */
    DurationSummary summary() {
        if (count == 0) {
            return DurationSummary.empty();
        }
        DayHistogram days = DayHistogram.ofDense(dense);
        if (far > 0) {
            days = days.merge(DayHistogram.of(Arrays.copyOf(farDays, far), Arrays.copyOf(farCounts, far)));
        }
        return new DurationSummary(count, secondsSum, days);
    }
}
