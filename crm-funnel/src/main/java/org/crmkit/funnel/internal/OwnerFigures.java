package org.crmkit.funnel.internal;

/**
 * Everything a funnel needs from one owner's opportunities, as dense primitive arrays: the
 * unit of the columnar roll-up. A node's funnel is the sum of its distinct owners' figures
 * ({@link FunnelTotals#add(org.crmkit.core.ManagerId, OwnerFigures)}), so the rows are
 * scanned once for any number of nodes. Produced by {@link ColumnScan#ownerFigures}; read-only
 * once produced.
 *
 * <p>Layouts, with {@code n} open stages:
 * <ul>
 *   <li>{@link #counts}: {@code [count, open, won, lost, reached[n], at[n], dropped[n]]};
 *   <li>{@link #money}: per currency code of the store, {@link FunnelTotals#moneySlots(int)}
 *       exact sums in minor units: {@code [reachedAmount[n], atAmount[n],
 *       atWeightedPercent[n], openAmount, openWeightedPercent, wonRevenue]} (weighted sums
 *       are amount × probability percent);
 *   <li>durations {@code d}: {@code 0} cycle of the closed, {@code 1} cycle of the won,
 *       {@code 2 + s} time in open stage {@code s}; each a count, a sum of seconds and an
 *       exact histogram of whole days (sorted distinct days, their counts).
 * </ul>
 */
public final class OwnerFigures {
    /** Index of the population count in {@link #counts}. */
    public static final int COUNT = 0;
    /** Index of the open count. */
    public static final int OPEN = 1;
    /** Index of the won count (counted closes only). */
    public static final int WON = 2;
    /** Index of the lost count (counted closes only). */
    public static final int LOST = 3;
    /** Index of {@code reached[0]}. */
    public static final int REACHED = 4;

    final long[] counts;
    final long[] money;
    final long[] durationCount;
    final long[] durationSeconds;
    final int[][] days;
    final long[][] dayCounts;

    /**
     * The owner's opportunities in the population.
     *
     * @return the count
     */
    public long count() {
        return counts[COUNT];
    }

    OwnerFigures(long[] counts, long[] money, long[] durationCount, long[] durationSeconds, int[][] days,
            long[][] dayCounts) {
        this.counts = counts;
        this.money = money;
        this.durationCount = durationCount;
        this.durationSeconds = durationSeconds;
        this.days = days;
        this.dayCounts = dayCounts;
    }
}
