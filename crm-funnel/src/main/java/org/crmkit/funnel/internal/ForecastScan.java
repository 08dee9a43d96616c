package org.crmkit.funnel.internal;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.funnel.spi.ForecastCell;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * The forecast query of {@link ColumnStore}: one primitive loop per owner over its contiguous
 * rows. Each row's cell is packed into a {@code long} key (open: effective month, overdue,
 * currency, process, stage, probability, hand category, basis; won: month of the closing
 * transition in the query's zone, currency, rate day), and its sums go into a small array per
 * key: count, value, the square as 128 bits and the cube as 192 bits (exact: every amount is
 * below 2^50 minor units, {@link org.crmkit.core.StoreLimits}, so 2^31 cubes fit). Owners are
 * spread over the common fork-join pool from {@code parallelThreshold} rows on.
 */
public final class ForecastScan {
    private static final ForecastCategory[] CATEGORIES = ForecastCategory.values();
    private static final ForecastCell.Basis[] BASES = ForecastCell.Basis.values();
    /** Months are stored relative to year 0 (index = year × 12 + month − 1); 20 bits cover years 0..87381. */
    private static final int MONTH_BITS = 20;

    /** The first epoch day {@link #MONTH_OF_DAY} covers: 1899-12-01, a month before the store's first date. */
    private static final long FIRST_DAY = LocalDate.of(1899, 12, 1).toEpochDay();
    /**
     * The month index of every epoch day from {@link #FIRST_DAY} to 2200-01-31 (≈ 110k days): the
     * open rows' month is one array read instead of a date built per row.
     */
    private static final int[] MONTH_OF_DAY = monthOfDayTable();
    /** Per zone, the epoch second each month from 1899-12 to 2199-12 starts at in that zone. */
    private static final Map<ZoneId, long[]> MONTH_STARTS = new ConcurrentHashMap<>();
    /** The month index of the first entry of a {@link #MONTH_STARTS} table. */
    private static final int FIRST_MONTH = 1899 * 12 + 11;

    private final ColumnStore store;
    private final ForecastQuery query;
    /** The month starts of the query's zone, looked up once per scan. */
    private final long[] monthStarts;

    /**
     * A scan of a query.
     *
     * @param store the finished columns
     * @param query the query
     */
    public ForecastScan(ColumnStore store, ForecastQuery query) {
        this.store = store;
        this.query = query;
        this.monthStarts = MONTH_STARTS.computeIfAbsent(query.zone(), ForecastScan::monthStarts);
    }

    private static int[] monthOfDayTable() {
        long last = LocalDate.of(2200, 1, 31).toEpochDay();
        int[] out = new int[(int) (last - FIRST_DAY + 1)];
        LocalDate d = LocalDate.ofEpochDay(FIRST_DAY);
        for (int i = 0; i < out.length; i++, d = d.plusDays(1)) {
            out[i] = d.getYear() * 12 + d.getMonthValue() - 1;
        }
        return out;
    }

    private static long[] monthStarts(ZoneId zone) {
        int months = 2200 * 12 - FIRST_MONTH;
        long[] out = new long[months];
        for (int i = 0; i < months; i++) {
            out[i] = monthOf(FIRST_MONTH + i).atDay(1).atStartOfDay(zone).toEpochSecond();
        }
        return out;
    }

    private static int index(YearMonth m) {
        return m.getYear() * 12 + m.getMonthValue() - 1;
    }

    private static YearMonth monthOf(int index) {
        return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
    }

    /**
     * The month index of an epoch day: one read of the static table inside it, a date outside.
     *
     * @param day the epoch day
     * @return year × 12 + month − 1
     */
    static int monthOfEpochDay(long day) {
        long i = day - FIRST_DAY;
        if (i >= 0 && i < MONTH_OF_DAY.length) {
            return MONTH_OF_DAY[(int) i];
        }
        LocalDate d = LocalDate.ofEpochDay(day);
        return d.getYear() * 12 + d.getMonthValue() - 1;
    }

    private int closeMonth(int row) {
        return monthOfInstant(store.transitionNanos[store.transitionStart[row + 1] - 1], monthStarts, query.zone());
    }

    /**
     * The month index (year × 12 + month − 1) an instant falls in, in a zone: the last month start
     * at or before it in the zone's table (month starts are whole seconds, so the instant's second
     * decides), or, outside the table, converted exactly. A table lookup replaces a zone-rules
     * lookup and a date per won row.
     *
     * @param epochNanos the instant, in nanoseconds since the epoch
     * @param zone the zone
     * @return the month index
     */
    static int monthOfInstant(long epochNanos, ZoneId zone) {
        return monthOfInstant(epochNanos, MONTH_STARTS.computeIfAbsent(zone, ForecastScan::monthStarts), zone);
    }

    private static int monthOfInstant(long epochNanos, long[] starts, ZoneId zone) {
        int i = Arrays.binarySearch(starts, Math.floorDiv(epochNanos, 1_000_000_000L));
        int slot = i >= 0 ? i : -i - 2;
        if (slot >= 0 && slot < starts.length - 1) {
            return FIRST_MONTH + slot;
        }
        LocalDate d = LocalDate.ofInstant(instant(epochNanos), zone);
        return d.getYear() * 12 + d.getMonthValue() - 1;
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private boolean ownerCounts(int ownerCode) {
        return query.owners() == null || query.owners().contains(store.ownerDict.value(ownerCode));
    }

    /**
     * The stats per owner.
     *
     * @param parallelThreshold the row count from which owners are scanned in parallel
     * @return the stats
     */
    public OwnerAggregates<ForecastStats> aggregate(int parallelThreshold) {
        int owners = store.ownerDict.size();
        // the packed keys hold at most 256 currencies, 128 processes and 8192 stage codes
        org.crmkit.core.ValidationException.require(store.currencyDict.size() <= 256 && store.processDict.size() <= 128
                && store.codeDict.size() <= 8192, "columns", store.currencyDict.size() + " currencies, "
                + store.processDict.size() + " processes, " + store.codeDict.size() + " stage codes",
                "at most 256 currencies, 128 processes and 8192 stage codes for a forecast of the columns");
        long asOfDay = query.asOf().toEpochDay();
        int asOfMonth = index(YearMonth.from(query.asOf()));
        int fromMonth = query.window() == null ? Integer.MIN_VALUE : index(YearMonth.from(query.window().start()));
        int untilMonth = query.window() == null ? Integer.MAX_VALUE : index(YearMonth.from(query.window().end()));
        int reporting = store.currencyDict.find(query.reportingCurrency());
        ForecastStats[] out = new ForecastStats[owners];
        IntStream codes = IntStream.range(0, owners);
        if (store.size() >= parallelThreshold) {
            codes = codes.parallel();
        }
        codes.forEach(o -> {
            if (ownerCounts(o)) {
                out[o] = scanOwner(o, asOfDay, asOfMonth, fromMonth, untilMonth, reporting);
            }
        });
        OwnerAggregates.Builder<ForecastStats> b = OwnerAggregates.builder(1);
        for (int o = 0; o < owners; o++) {
            if (out[o] != null && !out[o].isEmpty()) {
                b.add(store.ownerDict.value(o), 0, out[o]);
            }
        }
        return b.build();
    }

    private ForecastStats scanOwner(int o, long asOfDay, int asOfMonth, int fromMonth, int untilMonth, int reporting) {
        Slots open = new Slots(7);
        Slots won = new Slots(2);
        for (int r = store.ownerStart[o]; r < store.ownerStart[o + 1]; r++) {
            int flags = store.forecastFlags[r];
            int status = flags & 3;
            if (status == 2) {
                continue;
            }
            if (status == 1) {
                int month = closeMonth(r);
                if (month < fromMonth || month >= untilMonth) {
                    continue;
                }
                int cur = store.currency[r];
                long rateDay = cur == reporting ? 0 : store.closeDay[r] + (1L << 30);
                long key = ((long) month << 31 | rateDay) << 10 | cur;
                long[] acc = won.get(key);
                acc[0]++;
                acc[1] = AmountOverflowException.add(acc[1], store.revenueMinor[r], "forecast value");
                continue;
            }
            long expected = store.expectedCloseDay[r];
            boolean overdue = expected < asOfDay;
            int month = overdue && query.overdueToCurrentMonth() ? asOfMonth
                    : monthOfEpochDay(expected);
            if (month < fromMonth || month >= untilMonth) {
                continue;
            }
            boolean hasAmount = (flags & 4) != 0;
            long budget = store.budgetMinor[r];
            int basis = hasAmount ? 0 : budget >= 0 ? 1 : 2;
            long v = hasAmount ? store.amountMinor[r] : budget >= 0 ? budget : 0;
            long key = (long) (month - asOfMonth + (1 << (MONTH_BITS - 1))) << 43
                    | (long) (overdue ? 1 : 0) << 42
                    | (long) store.currency[r] << 34
                    | (long) store.process[r] << 27
                    | (long) store.stageCode[r] << 14
                    | (long) store.probability[r] << 7
                    | (long) ((flags >> 3) & 7) << 2
                    | basis;
            long[] acc = open.get(key);
            add(acc, v);
        }
        ForecastStats.Builder b = ForecastStats.builder();
        for (int i = 0; i < open.values.length; i++) {
            if (open.values[i] != null) {
                b.add(openCell(open.keys[i], asOfMonth), sums(open.values[i]));
            }
        }
        for (int i = 0; i < won.values.length; i++) {
            long[] acc = won.values[i];
            if (acc == null) {
                continue;
            }
            long key = won.keys[i];
            int cur = (int) (key & 1023);
            long rest = key >>> 10;
            long rateDay = rest & ((1L << 31) - 1);
            int month = (int) (rest >>> 31);
            b.add(ForecastCell.won(monthOf(month), store.currencyDict.value(cur),
                    rateDay == 0 ? null : LocalDate.ofEpochDay(rateDay - (1L << 30))),
                    new ForecastStats.Sums(acc[0], acc[1], BigInteger.ZERO, BigInteger.ZERO));
        }
        return b.build();
    }

    /**
     * An open-addressing map from a packed cell key to its sums, for one owner's loop: a row costs
     * one multiply-shift hash and a probe instead of a boxed key and a {@code HashMap} entry.
     * Empty slots are the null values, so every {@code long} is a valid key.
     */
    private static final class Slots {
        private final int width;
        long[] keys = new long[16];
        long[][] values = new long[16][];
        private int size;

        Slots(int width) {
            this.width = width;
        }

        /** The sums of a key, a zeroed array the first time the key is seen. */
        long[] get(long key) {
            int mask = keys.length - 1;
            int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
            while (values[i] != null) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            if (2 * (size + 1) > keys.length) {
                grow();
                return get(key);
            }
            size++;
            keys[i] = key;
            values[i] = new long[width];
            return values[i];
        }

        private void grow() {
            long[] oldKeys = keys;
            long[][] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2][];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldValues[j] != null) {
                    int i = (int) ((oldKeys[j] * 0x9E3779B97F4A7C15L) >>> 32) & mask;
                    while (values[i] != null) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }
    }

    private ForecastCell openCell(long key, int asOfMonth) {
        int month = (int) (key >>> 43) - (1 << (MONTH_BITS - 1)) + asOfMonth;
        boolean overdue = ((key >>> 42) & 1) == 1;
        int cur = (int) ((key >>> 34) & 255);
        int process = (int) ((key >>> 27) & 127);
        int stage = (int) ((key >>> 14) & 8191);
        int probability = (int) ((key >>> 7) & 127);
        int category = (int) ((key >>> 2) & 7);
        int basis = (int) (key & 3);
        return ForecastCell.open(monthOf(month), overdue, store.currencyDict.value(cur),
                store.processDict.value(process), store.codeDict.value(stage), probability,
                category == 0 ? null : CATEGORIES[category - 1], BASES[basis]);
    }

    /** Adds one value: count, value, square (128 bits: hi, lo) and cube (192 bits: c2, c1, c0). */
    private static void add(long[] acc, long v) {
        acc[0]++;
        acc[1] = AmountOverflowException.add(acc[1], v, "forecast value");
        long sqHi = Math.multiplyHigh(v, v);
        long sqLo = v * v;
        long lo = acc[3] + sqLo;
        acc[2] += sqHi + (Long.compareUnsigned(lo, acc[3]) < 0 ? 1 : 0);
        acc[3] = lo;
        // cube = (sqHi·2^64 + sqLo)·v, v >= 0
        long c0 = sqLo * v;
        long loHigh = Math.multiplyHigh(sqLo, v) + ((sqLo >> 63) & v);
        long c1 = loHigh + sqHi * v;
        long carry1 = Long.compareUnsigned(c1, loHigh) < 0 ? 1 : 0;
        long c2 = Math.multiplyHigh(sqHi, v) + carry1;
        long n0 = acc[6] + c0;
        long k0 = Long.compareUnsigned(n0, acc[6]) < 0 ? 1 : 0;
        long n1 = acc[5] + c1;
        long k1 = Long.compareUnsigned(n1, acc[5]) < 0 ? 1 : 0;
        long n1c = n1 + k0;
        k1 += Long.compareUnsigned(n1c, n1) < 0 ? 1 : 0;
        acc[6] = n0;
        acc[5] = n1c;
        acc[4] += c2 + k1;
    }

    /** The unsigned number of big-endian 64-bit words (built from bytes: parsing text showed in profiles). */
    static BigInteger unsigned(long... words) {
        boolean small = words[words.length - 1] >= 0;
        for (int w = 0; w < words.length - 1 && small; w++) {
            small = words[w] == 0;
        }
        if (small) {
            return BigInteger.valueOf(words[words.length - 1]);
        }
        byte[] bytes = new byte[words.length * 8];
        for (int w = 0; w < words.length; w++) {
            for (int b = 0; b < 8; b++) {
                bytes[w * 8 + b] = (byte) (words[w] >>> (56 - 8 * b));
            }
        }
        return new BigInteger(1, bytes);
    }

    private static ForecastStats.Sums sums(long[] acc) {
        return new ForecastStats.Sums(acc[0], acc[1], unsigned(acc[2], acc[3]), unsigned(acc[4], acc[5], acc[6]));
    }

    /**
     * The deals of the query, by the rule of {@code ForecastSource.forecastDeals}.
     *
     * @param minValue per currency, the value an open deal must exceed; null for every deal
     * @return the deals
     */
    public Stream<ForecastDeal> deals(Map<CurrencyUnit, Long> minValue) {
        List<ForecastDeal> out = new ArrayList<>();
        for (int o = 0; o < store.ownerDict.size(); o++) {
            if (!ownerCounts(o)) {
                continue;
            }
            ManagerId owner = store.ownerDict.value(o);
            for (int r = store.ownerStart[o]; r < store.ownerStart[o + 1]; r++) {
                int flags = store.forecastFlags[r];
                OpportunityStatus status = OpportunityStatus.values()[flags & 3];
                if (status == OpportunityStatus.LOST) {
                    continue;
                }
                boolean hasAmount = (flags & 4) != 0;
                long budget = store.budgetMinor[r];
                int category = (flags >> 3) & 7;
                CurrencyUnit currency = store.currencyDict.value(store.currency[r]);
                LocalDate closeDate = status == OpportunityStatus.WON ? LocalDate.ofEpochDay(store.closeDay[r]) : null;
                Instant closedAt = null;
                if (status == OpportunityStatus.WON) {
                    closedAt = instant(store.transitionNanos[store.transitionStart[r + 1] - 1]);
                }
                var cell = query.cellOf(owner, status, currency, store.processDict.value(store.process[r]),
                        store.codeDict.value(store.stageCode[r]), store.probability[r],
                        category == 0 ? null : CATEGORIES[category - 1], hasAmount, budget >= 0,
                        LocalDate.ofEpochDay(store.expectedCloseDay[r]), closeDate, closedAt);
                if (cell.isEmpty()) {
                    continue;
                }
                long value = status == OpportunityStatus.WON ? store.revenueMinor[r]
                        : hasAmount ? store.amountMinor[r] : budget >= 0 ? budget : 0;
                if (minValue != null) {
                    Long min = minValue.get(currency);
                    if (!cell.get().isOpen() || min == null || value <= min) {
                        continue;
                    }
                }
                out.add(new ForecastDeal(store.ids[r], owner, cell.get(), value, closeDate));
            }
        }
        return out.stream();
    }
}
