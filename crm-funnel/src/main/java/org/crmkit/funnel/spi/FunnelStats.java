package org.crmkit.funnel.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;

/**
 * Everything a funnel needs from a set of opportunities (typically one owner's), under one
 * {@link AggregateQuery} (its mode, window and counting policy already applied): the unit a
 * {@link FunnelSource} returns per owner and every roll-up adds. A node's funnel is the sum of
 * its distinct owners' stats, so a company and all its units come from one fetch.
 *
 * <p>What it holds, with {@code n} open stages:
 * <ul>
 *   <li>{@link Count counts}: the population, open, won, lost (closes that count under the
 *       query: in an activity window, those closed during it), and per stage reached, at,
 *       dropped (lost with the stage as their furthest), won and lost among those reaching it;</li>
 *   <li>{@link Money money}, exact {@code long} minor units per currency: per stage the reached,
 *       at, weighted-at and dropped amounts, and the open, weighted open, won revenue and lost
 *       amounts (weighted figures are amount × probability in percent, two more decimals);</li>
 *   <li>{@link Duration durations}: cycle of the counted closes, of the won, and time in each
 *       open stage, each an exact count, sum of seconds and whole-day histogram
 *       ({@link DurationSummary}, medians exact to the day);</li>
 *   <li>side tables, only when the query asks for win/loss ({@link AggregateQuery#winLoss()}):
 *       the counted closes by reason and the counted losses by winning competitor. Their size
 *       is bounded by the distinct reasons and competitors, never by the opportunities.</li>
 * </ul>
 *
 * <p>Immutable. Stats form a commutative group on the exact parts: {@link #plus} adds
 * componentwise (overflow reported as {@link AmountOverflowException}), {@link #empty} is the
 * identity and {@link #minus} the exact inverse. Build one with {@link #builder}; zero money
 * of a currency and empty side entries are dropped, so equal contents compare equal however
 * they were summed.
 */
public final class FunnelStats implements Aggregate<FunnelStats> {
    /** A count of opportunities. */
    public enum Count {
        /** The population. */
        COUNT(false),
        /** Open as of the query's instant. */
        OPEN(false),
        /** Won (closes that count under the query). */
        WON(false),
        /** Lost (closes that count under the query). */
        LOST(false),
        /** Per stage: reached under the query's policy (and, in a window, newly reached in it). */
        REACHED(true),
        /** Per stage: open at the stage. */
        AT(true),
        /** Per stage: lost with the stage as their furthest open stage. */
        DROPPED(true),
        /** Per stage: won among those that reached the stage. */
        WON_REACHED(true),
        /** Per stage: lost among those that reached the stage. */
        LOST_REACHED(true);

        private final boolean perStage;

        Count(boolean perStage) {
            this.perStage = perStage;
        }

        /**
         * Whether the figure has one value per open stage.
         *
         * @return true for per-stage figures
         */
        public boolean perStage() {
            return perStage;
        }

        int slot(int n, int stage) {
            return switch (this) {
                case COUNT -> 0;
                case OPEN -> 1;
                case WON -> 2;
                case LOST -> 3;
                case REACHED -> 4 + stage;
                case AT -> 4 + n + stage;
                case DROPPED -> 4 + 2 * n + stage;
                case WON_REACHED -> 4 + 3 * n + stage;
                case LOST_REACHED -> 4 + 4 * n + stage;
            };
        }
    }

    /** An exact money sum, in minor units of each currency. */
    public enum Money {
        /** Per stage: the amount of those that reached it. */
        REACHED_AMOUNT(true, false),
        /** Per stage: the amount of those open at it. */
        AT_AMOUNT(true, false),
        /** Per stage: amount × probability (percent) of those open at it. */
        AT_WEIGHTED(true, true),
        /** Per stage: the amount of those lost with it as their furthest stage. */
        DROPPED_AMOUNT(true, false),
        /** The amount of the open ones. */
        OPEN_AMOUNT(false, false),
        /** Amount × probability (percent) of the open ones. */
        OPEN_WEIGHTED(false, true),
        /** The revenue of the won ones (actual revenue when still won now, else the amount). */
        WON_REVENUE(false, false),
        /** The amount of the lost ones. */
        LOST_AMOUNT(false, false);

        private final boolean perStage;
        private final boolean weighted;

        Money(boolean perStage, boolean weighted) {
            this.perStage = perStage;
            this.weighted = weighted;
        }

        /**
         * Whether the figure has one value per open stage.
         *
         * @return true for per-stage figures
         */
        public boolean perStage() {
            return perStage;
        }

        /**
         * Whether the figure is amount × probability in percent, so it has two decimal digits
         * more than the currency's minor unit.
         *
         * @return true for weighted figures
         */
        public boolean weighted() {
            return weighted;
        }

        int slot(int n, int stage) {
            return switch (this) {
                case REACHED_AMOUNT -> stage;
                case AT_AMOUNT -> n + stage;
                case AT_WEIGHTED -> 2 * n + stage;
                case DROPPED_AMOUNT -> 3 * n + stage;
                case OPEN_AMOUNT -> 4 * n;
                case OPEN_WEIGHTED -> 4 * n + 1;
                case WON_REVENUE -> 4 * n + 2;
                case LOST_AMOUNT -> 4 * n + 3;
            };
        }

        String label(CurrencyUnit c) {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + c.getCurrencyCode() + ")";
        }
    }

    /** A set of durations. */
    public enum Duration {
        /** Creation to close of the counted closes (won and lost). */
        CYCLE(false),
        /** Creation to close of the won. */
        WON_CYCLE(false),
        /** Per stage: the finished visits of each opportunity, summed per opportunity. */
        TIME_IN_STAGE(true);

        private final boolean perStage;

        Duration(boolean perStage) {
            this.perStage = perStage;
        }

        /**
         * Whether the figure has one value per open stage.
         *
         * @return true for per-stage figures
         */
        public boolean perStage() {
            return perStage;
        }

        int slot(int stage) {
            return switch (this) {
                case CYCLE -> 0;
                case WON_CYCLE -> 1;
                case TIME_IN_STAGE -> 2 + stage;
            };
        }
    }

    private static final Comparator<String> KEYS = Comparator.nullsFirst(Comparator.naturalOrder());

    private final int n;
    private final long[] counts;
    private final CurrencyUnit[] currencies;
    private final long[][] money;
    private final DurationSummary[] durations;
    private final SortedMap<String, WinLossStats> reasons;
    private final SortedMap<String, WinLossStats> competitors;

    private FunnelStats(int n, long[] counts, CurrencyUnit[] currencies, long[][] money, DurationSummary[] durations,
            SortedMap<String, WinLossStats> reasons, SortedMap<String, WinLossStats> competitors) {
        this.n = n;
        this.counts = counts;
        this.currencies = currencies;
        this.money = money;
        this.durations = durations;
        this.reasons = reasons;
        this.competitors = competitors;
    }

    /**
     * The empty stats of a process shape.
     *
     * @param openStages the number of open stages
     * @return the identity of {@link #plus}
     * @throws ValidationException when the number of stages is out of range
     */
    public static FunnelStats empty(int openStages) {
        return builder(openStages).build();
    }

    /**
     * Starts a mutable accumulator.
     *
     * @param openStages the number of open stages of the process
     * @return an empty builder
     * @throws ValidationException when the number of stages is out of range
     */
    public static Builder builder(int openStages) {
        return new Builder(openStages);
    }

    static int countSlots(int n) {
        return 4 + 5 * n;
    }

    static int moneySlots(int n) {
        return 4 * n + 4;
    }

    /**
     * The number of open stages of the process these stats are of.
     *
     * @return the count
     */
    public int openStages() {
        return n;
    }

    /**
     * A total count.
     *
     * @param figure a figure that is not per stage
     * @return the count
     * @throws ValidationException when the figure is per stage
     */
    public long count(Count figure) {
        ValidationException.require(!figure.perStage(), "figure", figure, "a figure that is not per stage");
        return counts[figure.slot(n, 0)];
    }

    /**
     * A per-stage count.
     *
     * @param figure a per-stage figure
     * @param stage the open stage index
     * @return the count
     * @throws ValidationException when the figure is not per stage or the stage is out of range
     */
    public long count(Count figure, int stage) {
        requireStage(figure.perStage(), figure, stage);
        return counts[figure.slot(n, stage)];
    }

    /**
     * The population.
     *
     * @return {@code count(Count.COUNT)}
     */
    public long count() {
        return counts[0];
    }

    /**
     * The open ones.
     *
     * @return {@code count(Count.OPEN)}
     */
    public long open() {
        return counts[1];
    }

    /**
     * The counted wins.
     *
     * @return {@code count(Count.WON)}
     */
    public long won() {
        return counts[2];
    }

    /**
     * The counted losses.
     *
     * @return {@code count(Count.LOST)}
     */
    public long lost() {
        return counts[3];
    }

    /**
     * Those that reached a stage.
     *
     * @param stage the open stage index
     * @return {@code count(Count.REACHED, stage)}
     */
    public long reached(int stage) {
        return count(Count.REACHED, stage);
    }

    /**
     * The currencies with a non-zero sum, by code.
     *
     * @return the currencies, unmodifiable
     */
    public List<CurrencyUnit> currencies() {
        return List.of(currencies);
    }

    /**
     * A total money figure in one currency.
     *
     * @param figure a figure that is not per stage
     * @param currency the currency
     * @return the exact sum in minor units (weighted figures × 100), 0 when none
     * @throws ValidationException when the figure is per stage
     */
    public long minor(Money figure, CurrencyUnit currency) {
        ValidationException.require(!figure.perStage(), "figure", figure, "a figure that is not per stage");
        return minorAt(figure.slot(n, 0), currency);
    }

    /**
     * A per-stage money figure in one currency.
     *
     * @param figure a per-stage figure
     * @param stage the open stage index
     * @param currency the currency
     * @return the exact sum in minor units (weighted figures × 100), 0 when none
     * @throws ValidationException when the figure is not per stage or the stage is out of range
     */
    public long minor(Money figure, int stage, CurrencyUnit currency) {
        requireStage(figure.perStage(), figure, stage);
        return minorAt(figure.slot(n, stage), currency);
    }

    private long minorAt(int slot, CurrencyUnit currency) {
        Objects.requireNonNull(currency, "currency");
        for (int c = 0; c < currencies.length; c++) {
            if (currencies[c].equals(currency)) {
                return money[c][slot];
            }
        }
        return 0;
    }

    /**
     * A set of durations that is not per stage.
     *
     * @param figure {@link Duration#CYCLE} or {@link Duration#WON_CYCLE}
     * @return the summary
     * @throws ValidationException when the figure is per stage
     */
    public DurationSummary duration(Duration figure) {
        ValidationException.require(!figure.perStage(), "figure", figure, "a figure that is not per stage");
        return durations[figure.slot(0)];
    }

    /**
     * The time in one open stage.
     *
     * @param figure {@link Duration#TIME_IN_STAGE}
     * @param stage the open stage index
     * @return the summary
     * @throws ValidationException when the figure is not per stage or the stage is out of range
     */
    public DurationSummary duration(Duration figure, int stage) {
        requireStage(figure.perStage(), figure, stage);
        return durations[figure.slot(stage)];
    }

    private void requireStage(boolean perStage, Enum<?> figure, int stage) {
        ValidationException.require(perStage, "figure", figure, "a per-stage figure");
        if (stage < 0 || stage >= n) {
            throw new ValidationException("stage", stage, "an open stage index in [0, " + n + ")");
        }
    }

    /**
     * The counted closes by reason (only when the query asked for win/loss).
     *
     * @return the stats by reason, the {@code null} key for closes without one; unmodifiable
     */
    public SortedMap<String, WinLossStats> byReason() {
        return reasons;
    }

    /**
     * The counted losses by winning competitor (only when the query asked for win/loss).
     *
     * @return the stats by competitor, the {@code null} key for losses without one; unmodifiable
     */
    public SortedMap<String, WinLossStats> byCompetitor() {
        return competitors;
    }

    /**
     * These stats without their win/loss side tables: what a query that did not ask for win/loss
     * answers, for stats maintained with them.
     *
     * @return the stats without {@link #byReason} and {@link #byCompetitor}
     */
    public FunnelStats withoutWinLoss() {
        if (reasons.isEmpty() && competitors.isEmpty()) {
            return this;
        }
        return new FunnelStats(n, counts, currencies, money, durations, Collections.emptySortedMap(),
                Collections.emptySortedMap());
    }

    /** The first byte of the binary form: its version. */
    private static final int FORM = 1;

    /**
     * The stats in a compact binary form that {@link #fromBytes} reads back equal: what a store
     * keeps of a maintained aggregate and what travels between cluster members. Every part is a
     * variable-length unsigned integer (stats hold no negative value), so the contribution of one
     * opportunity takes a few dozen bytes.
     *
     * @return the bytes
     */
    public byte[] toBytes() {
        Varints.Out out = new Varints.Out().unsigned(FORM).unsigned(n);
        for (long c : counts) {
            out.unsigned(c);
        }
        out.unsigned(currencies.length);
        for (int c = 0; c < currencies.length; c++) {
            out.string(currencies[c].getCurrencyCode());
            for (long v : money[c]) {
                out.unsigned(v);
            }
        }
        for (DurationSummary d : durations) {
            out.unsigned(d.count());
            if (d.count() == 0) {
                continue;
            }
            out.unsigned(d.secondsSum());
            int[] days = d.days().days();
            long[] dc = d.days().counts();
            out.unsigned(days.length);
            int prev = 0;
            for (int k = 0; k < days.length; k++) {
                out.unsigned(days[k] - prev).unsigned(dc[k]);
                prev = days[k];
            }
        }
        writeTable(out, reasons);
        writeTable(out, competitors);
        return out.bytes();
    }

    private static void writeTable(Varints.Out out, SortedMap<String, WinLossStats> table) {
        out.unsigned(table.size());
        table.forEach((k, v) -> {
            out.unsigned(k == null ? 0 : 1);
            if (k != null) {
                out.string(k);
            }
            out.unsigned(v.won()).unsigned(v.lost());
            writeSums(out, v.wonRevenueMinor());
            writeSums(out, v.lostAmountMinor());
        });
    }

    private static void writeSums(Varints.Out out, Map<CurrencyUnit, Long> sums) {
        out.unsigned(sums.size());
        // sorted, so equal stats have equal bytes
        new TreeMap<>(sums.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().getCurrencyCode(), Map.Entry::getValue))).forEach((c, v) -> out.string(c).unsigned(v));
    }

    /**
     * Reads stats from their binary form ({@link #toBytes}).
     *
     * @param bytes the bytes
     * @return the stats
     * @throws ValidationException when the bytes are not such a form
     */
    public static FunnelStats fromBytes(byte[] bytes) {
        return fromBytes(bytes, true);
    }

    /**
     * Reads stats from their binary form ({@link #toBytes}), optionally without their win/loss
     * tables (which come last, so a query that does not ask for them does not pay for them).
     * The form holds stats as built (currencies in order, no zero sums), so it is read straight
     * into the stats, without summing.
     *
     * @param bytes the bytes
     * @param winLoss whether to read the win/loss tables (else the stats have none)
     * @return the stats
     * @throws ValidationException when the bytes are not such a form
     */
    public static FunnelStats fromBytes(byte[] bytes, boolean winLoss) {
        Objects.requireNonNull(bytes, "bytes");
        Varints.In in = new Varints.In(bytes);
        if (in.unsigned() != FORM) {
            throw in.corrupt("an unknown version");
        }
        int n = in.count(SalesProcess.MAX_OPEN_STAGES);
        if (n < 1) {
            throw in.corrupt("no open stage");
        }
        long[] counts = new long[countSlots(n)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.unsigned();
        }
        int currencies = in.count(bytes.length);
        CurrencyUnit[] cs = new CurrencyUnit[currencies];
        long[][] ms = new long[currencies][];
        for (int c = 0; c < currencies; c++) {
            cs[c] = currency(in.string());
            if (c > 0 && cs[c - 1].getCurrencyCode().compareTo(cs[c].getCurrencyCode()) >= 0) {
                throw in.corrupt("currencies out of order");
            }
            long[] m = new long[moneySlots(n)];
            boolean any = false;
            for (int i = 0; i < m.length; i++) {
                m[i] = in.unsigned();
                any |= m[i] != 0;
            }
            if (!any) {
                throw in.corrupt("a currency without money");
            }
            ms[c] = m;
        }
        DurationSummary[] ds = new DurationSummary[n + 2];
        for (int d = 0; d < ds.length; d++) {
            long count = in.unsigned();
            if (count == 0) {
                ds[d] = DurationSummary.empty();
                continue;
            }
            long seconds = in.unsigned();
            int size = in.count(bytes.length);
            int[] days = new int[size];
            long[] dc = new long[size];
            int prev = 0;
            for (int k = 0; k < size; k++) {
                prev = Math.addExact(prev, in.count(Integer.MAX_VALUE));
                days[k] = prev;
                dc[k] = in.unsigned();
            }
            ds[d] = new DurationSummary(count, seconds, DayHistogram.of(days, dc));
        }
        if (!winLoss) {
            return new FunnelStats(n, counts, cs, ms, ds, Collections.emptySortedMap(), Collections.emptySortedMap());
        }
        SortedMap<String, WinLossStats> reasons = table(readTable(in, bytes.length));
        SortedMap<String, WinLossStats> competitors = table(readTable(in, bytes.length));
        if (!in.atEnd()) {
            throw in.corrupt("bytes follow the stats");
        }
        return new FunnelStats(n, counts, cs, ms, ds, reasons, competitors);
    }

    private static SortedMap<String, WinLossStats> table(Map<String, WinLossStats> read) {
        if (read.isEmpty()) {
            return Collections.emptySortedMap();
        }
        TreeMap<String, WinLossStats> out = new TreeMap<>(KEYS);
        read.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * The number of opportunities ({@link Count#COUNT}) of stats in their binary form, read
     * without the rest: what a count per owner needs.
     *
     * @param bytes the bytes ({@link #toBytes})
     * @return the count
     * @throws ValidationException when the bytes are not such a form
     */
    public static long countOf(byte[] bytes) {
        Varints.In in = new Varints.In(Objects.requireNonNull(bytes, "bytes"));
        if (in.unsigned() != FORM) {
            throw in.corrupt("an unknown version");
        }
        in.count(SalesProcess.MAX_OPEN_STAGES);
        return in.unsigned();
    }

    /** Currencies by code: the JSR-354 look-up copies its whole currency set per call. */
    private static final java.util.concurrent.ConcurrentHashMap<String, CurrencyUnit> CURRENCIES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static CurrencyUnit currency(String code) {
        CurrencyUnit c = CURRENCIES.get(code);
        if (c == null) {
            c = org.crmkit.core.money.Amounts.currency(code);
            // bounded by the currencies that exist (Amounts refuses unknown codes)
            CURRENCIES.put(code, c);
        }
        return c;
    }

    private static Map<String, WinLossStats> readTable(Varints.In in, int max) {
        int size = in.count(max);
        Map<String, WinLossStats> out = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unsigned() == 0 ? null : in.string();
            long won = in.unsigned();
            long lost = in.unsigned();
            out.put(key, new WinLossStats(won, lost, readSums(in, max), readSums(in, max)));
        }
        return out;
    }

    private static Map<CurrencyUnit, Long> readSums(Varints.In in, int max) {
        int size = in.count(max);
        Map<CurrencyUnit, Long> out = new HashMap<>();
        for (int i = 0; i < size; i++) {
            out.put(currency(in.string()), in.unsigned());
        }
        return out;
    }

    @Override
    public FunnelStats plus(FunnelStats other) {
        Objects.requireNonNull(other, "other");
        if (other.isEmpty() && other.n == n) {
            return this;
        }
        return new Builder(n).add(this).add(other).build();
    }

    @Override
    public FunnelStats minus(FunnelStats other) {
        Objects.requireNonNull(other, "other");
        return new Builder(n).add(this).subtract(other).build();
    }

    @Override
    public boolean isEmpty() {
        for (long c : counts) {
            if (c != 0) {
                return false;
            }
        }
        for (DurationSummary d : durations) {
            if (d.count() != 0) {
                return false;
            }
        }
        return currencies.length == 0 && reasons.isEmpty() && competitors.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FunnelStats other) || other.n != n || !Arrays.equals(counts, other.counts)
                || !Arrays.equals(currencies, other.currencies) || !Arrays.equals(durations, other.durations)) {
            return false;
        }
        for (int c = 0; c < money.length; c++) {
            if (!Arrays.equals(money[c], other.money[c])) {
                return false;
            }
        }
        return reasons.equals(other.reasons) && competitors.equals(other.competitors);
    }

    @Override
    public int hashCode() {
        int h = n;
        h = 31 * h + Arrays.hashCode(counts);
        h = 31 * h + Arrays.hashCode(currencies);
        for (long[] m : money) {
            h = 31 * h + Arrays.hashCode(m);
        }
        h = 31 * h + Arrays.hashCode(durations);
        return 31 * (31 * h + reasons.hashCode()) + competitors.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FunnelStats[");
        for (Count f : Count.values()) {
            sb.append(f.name().toLowerCase(java.util.Locale.ROOT)).append('=');
            appendCounts(sb, f);
            sb.append(", ");
        }
        for (int c = 0; c < currencies.length; c++) {
            sb.append(currencies[c].getCurrencyCode()).append(Arrays.toString(money[c])).append(", ");
        }
        for (Duration f : Duration.values()) {
            sb.append(f.name().toLowerCase(java.util.Locale.ROOT)).append('=');
            for (int s = 0; s < (f.perStage() ? n : 1); s++) {
                DurationSummary d = durations[f.slot(s)];
                sb.append(s == 0 ? "" : "/").append(d.count()).append(':').append(d.secondsSum()).append(d.days());
            }
            sb.append(", ");
        }
        return sb.append("reasons=").append(reasons).append(", competitors=").append(competitors).append(']')
                .toString();
    }

    private void appendCounts(StringBuilder sb, Count f) {
        if (!f.perStage()) {
            sb.append(counts[f.slot(n, 0)]);
            return;
        }
        sb.append('[');
        for (int s = 0; s < n; s++) {
            sb.append(s == 0 ? "" : " ").append(counts[f.slot(n, s)]);
        }
        sb.append(']');
    }

    /**
     * A mutable accumulator of {@link FunnelStats}: sums whole stats ({@link #add},
     * {@link #subtract}) for roll-ups, or single figures for a source that computes them
     * itself (a database's grouped rows, a scan's dense arrays). Not thread-safe: accumulate per
     * thread, then add the results.
     */
    public static final class Builder {
        private final int n;
        private final long[] counts;
        private final List<CurrencyUnit> currencies = new ArrayList<>(4);
        private final List<long[]> money = new ArrayList<>(4);
        private final DurationAccumulator[] durations;
        private Map<String, WinLossAcc> reasons;
        private Map<String, WinLossAcc> competitors;
        private CurrencyUnit lastCurrency;
        private long[] lastMoney;

        private Builder(int openStages) {
            ValidationException.require(openStages >= 1 && openStages <= SalesProcess.MAX_OPEN_STAGES, "openStages",
                    openStages, "between 1 and " + SalesProcess.MAX_OPEN_STAGES);
            this.n = openStages;
            this.counts = new long[countSlots(n)];
            this.durations = new DurationAccumulator[n + 2];
            for (int d = 0; d < durations.length; d++) {
                durations[d] = new DurationAccumulator();
            }
        }

        /**
         * The number of open stages.
         *
         * @return the count
         */
        public int openStages() {
            return n;
        }

        private long[] moneyOf(CurrencyUnit currency) {
            if (currency == lastCurrency) {
                return lastMoney;
            }
            Objects.requireNonNull(currency, "currency");
            int c = currencies.indexOf(currency);
            long[] m;
            if (c < 0) {
                m = new long[moneySlots(n)];
                currencies.add(currency);
                money.add(m);
            } else {
                m = money.get(c);
            }
            lastCurrency = currency;
            lastMoney = m;
            return m;
        }

        /**
         * Adds stats of the same shape.
         *
         * @param stats the stats
         * @return this builder
         * @throws ValidationException when the number of stages differs
         * @throws AmountOverflowException when a money sum leaves the range of a {@code long}
         */
        public Builder add(FunnelStats stats) {
            return combine(stats, 1);
        }

        /**
         * Subtracts stats that were added before ({@link #build} checks that nothing went
         * negative).
         *
         * @param stats the stats
         * @return this builder
         * @throws ValidationException when the number of stages differs
         */
        public Builder subtract(FunnelStats stats) {
            return combine(stats, -1);
        }

        private Builder combine(FunnelStats s, int sign) {
            Objects.requireNonNull(s, "stats");
            if (s.n != n) {
                throw new ValidationException("stats.openStages", s.n, "the open stages of this builder: " + n);
            }
            long[] sc = s.counts;
            for (int i = 0; i < counts.length; i++) {
                counts[i] += sign * sc[i];
            }
            for (int c = 0; c < s.currencies.length; c++) {
                CurrencyUnit currency = s.currencies[c];
                long[] to = moneyOf(currency);
                long[] from = s.money[c];
                for (int i = 0; i < to.length; i++) {
                    long v = from[i];
                    if (v != 0) {
                        to[i] = addMinor(to[i], sign * v, i, currency);
                    }
                }
            }
            for (int d = 0; d < durations.length; d++) {
                durations[d].add(s.durations[d], sign);
            }
            if (!s.reasons.isEmpty()) {
                s.reasons.forEach((k, v) -> reasons().computeIfAbsent(k, x -> new WinLossAcc()).add(v, sign));
            }
            if (!s.competitors.isEmpty()) {
                s.competitors.forEach((k, v) -> competitors().computeIfAbsent(k, x -> new WinLossAcc()).add(v, sign));
            }
            return this;
        }

        private long addMinor(long a, long b, int slot, CurrencyUnit c) {
            long r = a + b;
            if (((a ^ r) & (b ^ r)) < 0) {
                throw new AmountOverflowException(moneyFigure(slot).label(c), null);
            }
            return r;
        }

        private Money moneyFigure(int slot) {
            for (Money m : Money.values()) {
                int base = m.slot(n, 0);
                if (slot == base || (m.perStage() && slot >= base && slot < base + n)) {
                    return m;
                }
            }
            throw new IllegalStateException("money slot " + slot);
        }

        private Map<String, WinLossAcc> reasons() {
            if (reasons == null) {
                reasons = new HashMap<>();
            }
            return reasons;
        }

        private Map<String, WinLossAcc> competitors() {
            if (competitors == null) {
                competitors = new HashMap<>();
            }
            return competitors;
        }

        /**
         * Adds to a total count.
         *
         * @param figure a figure that is not per stage
         * @param value the value to add
         * @return this builder
         * @throws ValidationException when the figure is per stage
         */
        public Builder addCount(Count figure, long value) {
            ValidationException.require(!figure.perStage(), "figure", figure, "a figure that is not per stage");
            counts[figure.slot(n, 0)] += value;
            return this;
        }

        /**
         * Adds to a per-stage count.
         *
         * @param figure a per-stage figure
         * @param stage the open stage index
         * @param value the value to add
         * @return this builder
         * @throws ValidationException when the figure is not per stage or the stage is out of range
         */
        public Builder addCount(Count figure, int stage, long value) {
            requireStage(figure.perStage(), figure, stage);
            counts[figure.slot(n, stage)] += value;
            return this;
        }

        /**
         * Adds to a total money figure.
         *
         * @param figure a figure that is not per stage
         * @param currency the currency
         * @param minor the value in minor units (weighted figures × 100)
         * @return this builder
         * @throws ValidationException when the figure is per stage
         * @throws AmountOverflowException when the sum leaves the range of a {@code long}
         */
        public Builder addMinor(Money figure, CurrencyUnit currency, long minor) {
            ValidationException.require(!figure.perStage(), "figure", figure, "a figure that is not per stage");
            if (minor != 0) {
                long[] m = moneyOf(currency);
                int slot = figure.slot(n, 0);
                m[slot] = addMinor(m[slot], minor, slot, currency);
            }
            return this;
        }

        /**
         * Adds to a per-stage money figure.
         *
         * @param figure a per-stage figure
         * @param stage the open stage index
         * @param currency the currency
         * @param minor the value in minor units (weighted figures × 100)
         * @return this builder
         * @throws ValidationException when the figure is not per stage or the stage is out of range
         * @throws AmountOverflowException when the sum leaves the range of a {@code long}
         */
        public Builder addMinor(Money figure, int stage, CurrencyUnit currency, long minor) {
            requireStage(figure.perStage(), figure, stage);
            if (minor != 0) {
                long[] m = moneyOf(currency);
                int slot = figure.slot(n, stage);
                m[slot] = addMinor(m[slot], minor, slot, currency);
            }
            return this;
        }

        /**
         * Adds one duration.
         *
         * @param figure the set of durations
         * @param stage the open stage for {@link Duration#TIME_IN_STAGE}, ignored otherwise
         * @param seconds the duration, not negative
         * @return this builder
         * @throws ValidationException when the duration is negative or the stage out of range
         */
        public Builder addDuration(Duration figure, int stage, long seconds) {
            ValidationException.require(seconds >= 0, "duration.seconds", seconds, "a duration >= 0");
            durations[durationSlot(figure, stage)].addOne(seconds);
            return this;
        }

        /**
         * Adds a set of durations.
         *
         * @param figure the set of durations
         * @param stage the open stage for {@link Duration#TIME_IN_STAGE}, ignored otherwise
         * @param summary the durations
         * @return this builder
         * @throws ValidationException when the stage is out of range
         */
        public Builder addDurations(Duration figure, int stage, DurationSummary summary) {
            durations[durationSlot(figure, stage)].add(Objects.requireNonNull(summary, "summary"), 1);
            return this;
        }

        /**
         * Adds a set of durations given as a day histogram's parts (e.g. rows of
         * {@code GROUP BY day}).
         *
         * @param figure the set of durations
         * @param stage the open stage for {@link Duration#TIME_IN_STAGE}, ignored otherwise
         * @param count the number of durations
         * @param secondsSum their sum in seconds
         * @param days the distinct whole days ({@code floor(seconds / 86400)}), any order
         * @param dayCounts the durations per entry of {@code days}
         * @param size how many entries of the arrays to read
         * @return this builder
         * @throws ValidationException when a value is negative or the stage out of range
         */
        public Builder addDurations(Duration figure, int stage, long count, long secondsSum, int[] days,
                long[] dayCounts, int size) {
            ValidationException.require(count >= 0 && secondsSum >= 0, "duration.count", count, "counts >= 0");
            for (int i = 0; i < size; i++) {
                if (days[i] < 0 || dayCounts[i] < 0) {
                    throw new ValidationException("duration.days[" + i + "]", days[i], "days and counts >= 0");
                }
            }
            durations[durationSlot(figure, stage)].add(count, secondsSum, days, dayCounts, size, 1);
            return this;
        }

        private int durationSlot(Duration figure, int stage) {
            if (figure.perStage() && (stage < 0 || stage >= n)) {
                throw new ValidationException("stage", stage, "an open stage index in [0, " + n + ")");
            }
            return figure.slot(stage);
        }

        private void requireStage(boolean perStage, Enum<?> figure, int stage) {
            ValidationException.require(perStage, "figure", figure, "a per-stage figure");
            if (stage < 0 || stage >= n) {
                throw new ValidationException("stage", stage, "an open stage index in [0, " + n + ")");
            }
        }

        /**
         * Adds counted closes to the win/loss side tables: by reason (won and lost), and for
         * losses by winning competitor.
         *
         * @param status WON or LOST
         * @param reason the reason, null for none
         * @param competitor the winning competitor of a loss, null for none (ignored when won)
         * @param currency the currency
         * @param count how many closes
         * @param minor their won revenue (WON) or lost amount (LOST) in minor units
         * @return this builder
         * @throws ValidationException when the status is OPEN or a value is negative
         */
        public Builder addClose(OpportunityStatus status, String reason, String competitor, CurrencyUnit currency,
                long count, long minor) {
            ValidationException.require(status != null && status.isClosed(), "status", status, "WON or LOST");
            ValidationException.require(count >= 0 && minor >= 0, "count", count, "a count and a sum >= 0");
            Objects.requireNonNull(currency, "currency");
            boolean won = status == OpportunityStatus.WON;
            reasons().computeIfAbsent(reason, x -> new WinLossAcc()).add(won, currency, count, minor);
            if (!won) {
                competitors().computeIfAbsent(competitor, x -> new WinLossAcc()).add(false, currency, count, minor);
            }
            return this;
        }

        /**
         * Adds to the win/loss table by reason (e.g. one row of a source's own grouping).
         *
         * @param reason the reason, null for none
         * @param stats the counted closes with that reason
         * @return this builder
         */
        public Builder addReason(String reason, WinLossStats stats) {
            reasons().computeIfAbsent(reason, x -> new WinLossAcc()).add(Objects.requireNonNull(stats, "stats"), 1);
            return this;
        }

        /**
         * Adds to the win/loss table by winning competitor.
         *
         * @param competitor the competitor, null for none
         * @param stats the counted losses to that competitor
         * @return this builder
         */
        public Builder addCompetitor(String competitor, WinLossStats stats) {
            competitors().computeIfAbsent(competitor, x -> new WinLossAcc())
                    .add(Objects.requireNonNull(stats, "stats"), 1);
            return this;
        }

        /**
         * Freezes the sums.
         *
         * @return the stats
         * @throws ValidationException when a count, sum or histogram entry is negative (stats
         *     were subtracted that had not been added)
         */
        public FunnelStats build() {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0) {
                    throw new ValidationException("funnelStats.counts[" + i + "]", counts[i],
                            "a count >= 0 (subtract only stats that were added)");
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < currencies.size(); c++) {
                long[] m = money.get(c);
                boolean any = false;
                for (int i = 0; i < m.length; i++) {
                    if (m[i] < 0) {
                        throw new ValidationException("funnelStats." + moneyFigure(i).label(currencies.get(c)), m[i],
                                "a sum >= 0 (subtract only stats that were added)");
                    }
                    any |= m[i] != 0;
                }
                if (any) {
                    order.add(c);
                }
            }
            order.sort(Comparator.comparing(c -> currencies.get(c).getCurrencyCode()));
            CurrencyUnit[] cs = new CurrencyUnit[order.size()];
            long[][] ms = new long[order.size()][];
            for (int k = 0; k < cs.length; k++) {
                cs[k] = currencies.get(order.get(k));
                ms[k] = money.get(order.get(k)).clone();
            }
            DurationSummary[] ds = new DurationSummary[durations.length];
            for (int d = 0; d < ds.length; d++) {
                ds[d] = durations[d].summary();
            }
            return new FunnelStats(n, counts.clone(), cs, ms, ds, freeze(reasons), freeze(competitors));
        }

        private static SortedMap<String, WinLossStats> freeze(Map<String, WinLossAcc> accs) {
            if (accs == null || accs.isEmpty()) {
                return Collections.emptySortedMap();
            }
            TreeMap<String, WinLossStats> out = new TreeMap<>(KEYS);
            accs.forEach((k, a) -> {
                WinLossStats s = a.stats();
                if (!s.isEmpty()) {
                    out.put(k, s);
                }
            });
            return out.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(out);
        }
    }

    /** The mutable sums of one win/loss key. */
    private static final class WinLossAcc {
        private long won;
        private long lost;
        private final Map<CurrencyUnit, long[]> wonRevenue = new HashMap<>(4);
        private final Map<CurrencyUnit, long[]> lostAmount = new HashMap<>(4);

        void add(boolean isWon, CurrencyUnit c, long count, long minor) {
            if (isWon) {
                won += count;
                add(wonRevenue, c, minor, "won revenue");
            } else {
                lost += count;
                add(lostAmount, c, minor, "lost amount");
            }
        }

        void add(WinLossStats s, int sign) {
            won += sign * s.won();
            lost += sign * s.lost();
            s.wonRevenueMinor().forEach((c, v) -> add(wonRevenue, c, sign * v, "won revenue"));
            s.lostAmountMinor().forEach((c, v) -> add(lostAmount, c, sign * v, "lost amount"));
        }

        private static void add(Map<CurrencyUnit, long[]> sums, CurrencyUnit c, long v, String figure) {
            long[] s = sums.computeIfAbsent(c, x -> new long[1]);
            s[0] = AmountOverflowException.add(s[0], v, figure, c.getCurrencyCode());
        }

        WinLossStats stats() {
            Map<CurrencyUnit, Long> w = new HashMap<>();
            wonRevenue.forEach((c, v) -> w.put(c, v[0]));
            Map<CurrencyUnit, Long> l = new HashMap<>();
            lostAmount.forEach((c, v) -> l.put(c, v[0]));
            try {
                return new WinLossStats(won, lost, w, l);
            } catch (ValidationException e) {
                throw new ValidationException("funnelStats.winLoss", e.getMessage(),
                        "sums >= 0 (subtract only stats that were added)");
            }
        }
    }
}
