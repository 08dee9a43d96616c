package org.crmkit.funnel.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellKey;
import org.crmkit.funnel.spi.CellMeasures;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.DayHistogram;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;
import org.crmkit.funnel.spi.StageTime;
import org.crmkit.funnel.spi.StageTimeKey;

/**
 * One cell query compiled against a {@link ColumnStore}: the query's sets become boolean
 * arrays over the store's codes and its instants nanoseconds, so the per-row test and the
 * replay of the stage history are primitive loops. Implements exactly the definitions of
 * {@link CellQuery#factsOf} (a property test holds them equal).
 */
public final class ColumnScan {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    private final ColumnStore store;
    private final CellQuery query;
    private final int processCode;
    private final boolean[] ownerOk;
    private final boolean[] currencyOk;
    private final boolean[] clientOk;
    private final Predicate<Opportunity> predicate;
    private final int[] codeToStage;
    private final int[] defaultProbability;
    private final int open;
    private final long until;
    private final long createdFrom;
    private final long createdUntil;
    private final boolean activity;
    private final long activityFrom;
    private final BucketBy bucketBy;
    private final long[] bucketStart;
    private final long[] bucketEnd;
    private final ZoneRules zoneRules;
    private final int fixedOffsetSeconds;
    /** The end states of the process's rows, or null when the process has too many stages. */
    private final FinalStates finals;

    /**
     * Compiles a query against a store.
     *
     * @param store the columns
     * @param query the cell query
     * @throws ValidationException when the query has a custom predicate and the store did
     *     not retain the opportunities
     */
    public ColumnScan(ColumnStore store, CellQuery query) {
        this.store = store;
        this.query = query;
        SalesProcess process = query.process();
        this.processCode = store.processDict.find(process.id());
        this.ownerOk = new boolean[store.ownerDict.size()];
        for (ManagerId m : query.owners()) {
            int c = store.ownerDict.find(m);
            if (c >= 0) {
                ownerOk[c] = true;
            }
        }
        this.currencyOk = allowed(store.currencyDict, query.filter().currencies());
        this.clientOk = allowed(store.clientDict, query.filter().clients());
        this.predicate = query.filter().predicate();
        ValidationException.require(predicate == null || store.retains(), "filter.predicate", predicate,
                "no custom predicate unless the columns retain the opportunities (OpportunityColumns.retaining)");
        this.codeToStage = new int[store.codeDict.size()];
        for (int c = 0; c < codeToStage.length; c++) {
            codeToStage[c] = process.findStage(store.codeDict.value(c)).map(s -> process.indexOf(s.code())).orElse(-1);
        }
        this.defaultProbability = process.stages().stream().mapToInt(s -> s.defaultProbability()).toArray();
        this.open = process.openStageCount();
        this.until = ColumnStore.saturatedNanos(query.until());
        this.createdFrom = query.createdFrom() == null ? Long.MIN_VALUE : ColumnStore.saturatedNanos(query.createdFrom());
        this.createdUntil = query.createdUntil() == null ? Long.MAX_VALUE
                : ColumnStore.saturatedNanos(query.createdUntil());
        this.activity = query.activityFrom() != null;
        this.activityFrom = activity ? ColumnStore.saturatedNanos(query.activityFrom()) : Long.MIN_VALUE;
        this.bucketBy = query.bucketBy();
        List<Period> buckets = query.buckets();
        ValidationException.require(buckets.size() < 0xFFFF, "cellQuery.buckets", buckets.size(),
                "fewer than 65535 buckets");
        ValidationException.require(store.textDict.size() < 0xFFFFFF, "reasons", store.textDict.size(),
                "fewer than 16777215 distinct reasons and competitors");
        this.bucketStart = new long[buckets.size()];
        this.bucketEnd = new long[buckets.size()];
        for (int b = 0; b < buckets.size(); b++) {
            bucketStart[b] = buckets.get(b).start().toEpochDay();
            bucketEnd[b] = buckets.get(b).end().toEpochDay();
        }
        ZoneId zone = query.zone();
        this.zoneRules = zone.getRules();
        this.fixedOffsetSeconds = zoneRules.isFixedOffset() ? zoneRules.getOffset(Instant.EPOCH).getTotalSeconds()
                : Integer.MIN_VALUE;
        this.finals = processCode < 0 || open > FinalStates.MAX_OPEN_STAGES ? null
                : store.finalStates(processCode, process);
    }

    /**
     * Derives the end states of one owner's rows of the process (see {@link FinalStates}).
     * Deterministic, so it fills the same values whichever thread runs it.
     */
    private void deriveFinalStates(int owner) {
        FinalStates f = finals;
        Row row = new Row(); // never fast: its state comes from replay()
        for (int i = store.ownerStart[owner]; i < store.ownerStart[owner + 1]; i++) {
            int from = store.transitionStart[i];
            int to = store.transitionStart[i + 1];
            if (store.process[i] != processCode || from == to) {
                // another process's row (its own derivation fills it), or nothing to replay
                continue;
            }
            boolean known = true;
            for (int t = from; t < to; t++) {
                known &= codeToStage[store.transitionCode[t]] >= 0;
            }
            if (!known) {
                // replayed per query, where it fails exactly when the row is in a population
                continue;
            }
            row.replay(from, to, Long.MAX_VALUE, false);
            long visited = row.visited;
            boolean fits = true;
            for (int k = 0; visited != 0; k++) {
                int st = Long.numberOfTrailingZeros(visited);
                visited &= visited - 1;
                fits &= row.secondsIn[st] <= Integer.MAX_VALUE;
                f.visitSeconds[from + k] = (int) row.secondsIn[st];
                f.visitDays[from + k] = (int) (row.secondsIn[st] / DurationSummary.SECONDS_PER_DAY);
            }
            long cycleSeconds = row.cycleSeconds(i);
            if (!fits || cycleSeconds > Integer.MAX_VALUE) {
                // a duration of more than 68 years: kept exact by replaying the row per query
                continue;
            }
            f.cycleSeconds[i] = (int) cycleSeconds;
            f.packed[i] = row.stage | (int) (row.mask << FinalStates.MASK_SHIFT)
                    | (int) (row.visited << FinalStates.VISITED_SHIFT);
        }
    }

    /** Derives the end states of every owner of the query not derived yet. */
    private void ensureFinalStates() {
        if (finals == null || activity) {
            return;
        }
        for (int o = 0; o < ownerOk.length; o++) {
            if (ownerOk[o]) {
                finals.ensure(o, processCode, this::deriveFinalStates);
            }
        }
    }

    private static <T> boolean[] allowed(Dictionary<T> dict, java.util.Set<T> values) {
        if (values.isEmpty()) {
            return null;
        }
        boolean[] ok = new boolean[dict.size()];
        for (T v : values) {
            int c = dict.find(v);
            if (c >= 0) {
                ok[c] = true;
            }
        }
        return ok;
    }

    /** Per-thread scratch state of the row being replayed. */
    private final class Row {
        int stage;
        long mask;
        int priorStage;
        long priorMask;
        long lastAt;
        boolean sameAsNow;
        int bucket;
        long visited;
        final long[] secondsIn = new long[open];

        /** Whether the row's state came from the process's {@link FinalStates} (no replay). */
        boolean fast;
        /** With {@link #fast}: where the row's visit seconds start in {@link FinalStates#visitSeconds}. */
        int visitBase;

        /** Replays row {@code i}; returns whether it belongs to the population. */
        boolean evaluate(int i) {
            if (store.process[i] != processCode || !ownerOk[store.owner[i]]
                    || (currencyOk != null && !currencyOk[store.currency[i]])
                    || (clientOk != null && !clientOk[store.client[i]])) {
                return false;
            }
            long created = store.createdNanos[i];
            if (created >= until || created < createdFrom || created >= createdUntil) {
                return false;
            }
            if (predicate != null && !predicate.test(store.retained.get(i))) {
                return false;
            }
            int from = store.transitionStart[i];
            int to = store.transitionStart[i + 1];
            int packed = finals == null || activity ? -1 : finals.packed[i];
            if (packed >= 0 && store.transitionNanos[to - 1] < until) {
                // the whole history is before the instant: its end state is the row's state
                endState(packed, from, to);
            } else if (!replayed(from, to)) {
                return false;
            }
            if (bucketBy == BucketBy.NONE) {
                bucket = 0;
                return true;
            }
            return bucket(i, created);
        }

        /** Sets the row's period bucket; returns whether it falls in one (kept apart so the JIT inlines the rest). */
        private boolean bucket(int i, long created) {
            long day;
            if (bucketBy == BucketBy.CREATED) {
                day = epochDay(created);
            } else if (stage < open) {
                day = store.expectedCloseDay[i];
            } else if (sameAsNow && store.closeDay[i] != Long.MIN_VALUE) {
                day = store.closeDay[i];
            } else {
                day = epochDay(lastAt);
            }
            bucket = bucketOf(day);
            return bucket >= 0;
        }

        private int lastCode;

        /** Takes the row's state from its packed end state. */
        private void endState(int packed, int from, int to) {
            fast = true;
            visitBase = from;
            stage = packed & FinalStates.STAGE_MASK;
            mask = (packed >>> FinalStates.MASK_SHIFT) & FinalStates.BITS_MASK;
            visited = (packed >>> FinalStates.VISITED_SHIFT) & FinalStates.BITS_MASK;
            priorStage = -1;
            priorMask = 0;
            lastAt = store.transitionNanos[to - 1];
            sameAsNow = true;
        }

        /** Replays the row up to the query's instant; returns whether it is in the population. */
        private boolean replayed(int from, int to) {
            fast = false;
            if (!replay(from, to, until, activity)) {
                return false;
            }
            sameAsNow = lastCode == store.transitionCode[to - 1];
            return true;
        }

        /**
         * Replays transitions {@code [from, to)} before {@code untilNanos}: fills the stage,
         * masks, visits and {@link #lastAt}; returns whether the row is in the population
         * (entered a stage, and with an activity window changed inside it).
         */
        boolean replay(int from, int to, long untilNanos, boolean window) {
            stage = -1;
            mask = 0;
            priorStage = -1;
            priorMask = 0;
            visited = 0;
            boolean active = !window;
            long enteredAt = 0;
            lastCode = -1;
            for (int t = from; t < to; t++) {
                long at = store.transitionNanos[t];
                if (at >= untilNanos) {
                    break;
                }
                if (stage >= 0 && stage < open) {
                    long secs = Math.floorDiv(at, NANOS_PER_SECOND) - Math.floorDiv(enteredAt, NANOS_PER_SECOND);
                    if ((visited & (1L << stage)) == 0) {
                        visited |= 1L << stage;
                        secondsIn[stage] = secs;
                    } else {
                        secondsIn[stage] = Math.addExact(secondsIn[stage], secs);
                    }
                }
                lastCode = store.transitionCode[t];
                stage = codeToStage[lastCode];
                if (stage < 0) {
                    // cold path: find the row whose transitions these are, to name it
                    int row = java.util.Arrays.binarySearch(store.transitionStart, 0, store.size + 1, from);
                    while (row > 0 && store.transitionStart[row - 1] == from) {
                        row--;
                    }
                    throw new ValidationException("stage", store.codeDict.value(lastCode),
                            "a stage of process " + query.process().id()).forOpportunity(row >= 0 && row < store.size
                                    ? store.ids[row] : null);
                }
                enteredAt = at;
                if (stage < open) {
                    mask |= 1L << stage;
                }
                if (window) {
                    if (at < activityFrom) {
                        priorStage = stage;
                        priorMask = mask;
                    } else {
                        active = true;
                    }
                }
            }
            lastAt = enteredAt;
            return stage >= 0 && active;
        }

        /**
         * The seconds spent in visited open stage {@code st}, the {@code k}-th set bit of
         * {@link #visited}.
         */
        long stageSeconds(int st, int k) {
            return fast ? finals.visitSeconds[visitBase + k] : secondsIn[st];
        }

        /** {@link #stageSeconds} in whole days (truncated). */
        int stageDays(int st, int k) {
            return fast ? finals.visitDays[visitBase + k]
                    : Math.toIntExact(secondsIn[st] / DurationSummary.SECONDS_PER_DAY);
        }

        OpportunityStatus status() {
            return stage == open ? OpportunityStatus.WON
                    : stage == open + 1 ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
        }

        int probability(int i) {
            return sameAsNow ? store.probability[i] : defaultProbability[stage];
        }

        long revenue(int i) {
            if (stage != open) {
                return 0;
            }
            return sameAsNow && store.revenueMinor[i] >= 0 ? store.revenueMinor[i] : store.amountMinor[i];
        }

        long cycleSeconds(int i) {
            return stage < open ? -1
                    : fast ? finals.cycleSeconds[i]
                    : Math.max(0, Math.floorDiv(lastAt, NANOS_PER_SECOND)
                            - Math.floorDiv(store.createdNanos[i], NANOS_PER_SECOND));
        }

        int reason(int i) {
            return stage >= open && sameAsNow ? store.reason[i] : ColumnStore.NONE;
        }

        int competitor(int i) {
            return stage == open + 1 && sameAsNow ? store.competitor[i] : ColumnStore.NONE;
        }
    }

    private long epochDay(long nanos) {
        long sec = Math.floorDiv(nanos, NANOS_PER_SECOND);
        int offset = fixedOffsetSeconds != Integer.MIN_VALUE ? fixedOffsetSeconds
                : zoneRules.getOffset(Instant.ofEpochSecond(sec)).getTotalSeconds();
        return Math.floorDiv(sec + offset, SECONDS_PER_DAY);
    }

    private int bucketOf(long day) {
        int lo = 0;
        int hi = bucketStart.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (day < bucketStart[mid]) {
                hi = mid - 1;
            } else if (day >= bucketEnd[mid]) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * Aggregates rows {@code [from, to)} into cells.
     *
     * @param from first row
     * @param to end row, exclusive
     * @return the cells
     */
    public FunnelCells aggregate(int from, int to) {
        ensureFinalStates();
        CellTable[] t = tables(from, to);
        return toCells(t[0], t[1]);
    }

    /** Aggregates rows {@code [from, to)} into an opportunity-cell and a stage-time table. */
    private CellTable[] tables(int from, int to) {
        Row row = new Row();
        CellTable cells = new CellTable(4);
        CellTable times = new CellTable(1);
        long[] key = new long[4];
        long[] timeKey = new long[1];
        for (int i = from; i < to; i++) {
            if (!row.evaluate(i)) {
                continue;
            }
            int owner = store.owner[i];
            key[0] = ((long) owner << 32) | ((long) store.currency[i] << 16) | ((long) row.stage << 8)
                    | (row.priorStage + 1);
            key[1] = row.mask;
            key[2] = row.priorMask;
            key[3] = ((long) (row.reason(i) + 1)) | ((long) (row.competitor(i) + 1) << 24) | ((long) row.bucket << 48);
            int s = cells.slot(key);
            long amount = store.amountMinor[i];
            cells.count[s]++;
            cells.amount[s] = Math.addExact(cells.amount[s], amount);
            cells.weighted[s] = Math.addExact(cells.weighted[s], Math.multiplyExact(amount, row.probability(i)));
            cells.revenue[s] = Math.addExact(cells.revenue[s], row.revenue(i));
            long cycle = row.cycleSeconds(i);
            if (cycle >= 0) {
                cells.addCycle(s, cycle);
            }
            long visited = row.visited;
            for (int k = 0; visited != 0; k++) {
                int st = Long.numberOfTrailingZeros(visited);
                visited &= visited - 1;
                timeKey[0] = ((long) owner << 32) | ((long) st << 16) | row.bucket;
                times.addCycle(times.slot(timeKey), row.stageSeconds(st, k));
            }
        }
        return new CellTable[] {cells, times};
    }

    private FunnelCells toCells(CellTable cells, CellTable times) {
        FunnelCells.Builder b = FunnelCells.builder();
        for (int i = 0; i < cells.size(); i++) {
            int s = cells.slotAt(i);
            long k0 = cells.key(s, 0);
            long k3 = cells.key(s, 3);
            int stage = (int) ((k0 >>> 8) & 0xFF);
            OpportunityStatus status = stage == open ? OpportunityStatus.WON
                    : stage == open + 1 ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
            int reason = (int) (k3 & 0xFFFFFF) - 1;
            int competitor = (int) ((k3 >>> 24) & 0xFFFFFF) - 1;
            CellKey key = new CellKey(store.ownerDict.value((int) (k0 >>> 32)), status, stage, cells.key(s, 1),
                    (int) (k0 & 0xFF) - 1, cells.key(s, 2), store.currencyDict.value((int) ((k0 >>> 16) & 0xFFFF)),
                    reason < 0 ? null : store.textDict.value(reason),
                    competitor < 0 ? null : store.textDict.value(competitor), (int) (k3 >>> 48));
            b.add(key, new CellMeasures(cells.count[s], cells.amount[s], cells.weighted[s], cells.revenue[s],
                    summary(cells, s)));
        }
        for (int i = 0; i < times.size(); i++) {
            int s = times.slotAt(i);
            long k = times.key(s, 0);
            b.addStageTime(new StageTimeKey(store.ownerDict.value((int) (k >>> 32)), (int) ((k >>> 16) & 0xFFFF),
                    (int) (k & 0xFFFF)), summary(times, s));
        }
        return b.build();
    }

    private static DurationSummary summary(CellTable t, int s) {
        if (t.cycleCount[s] == 0) {
            return DurationSummary.empty();
        }
        DayHistogram days;
        if (t.isDense(s)) {
            days = DayHistogram.ofDense(t.dense(s));
        } else {
            int n = t.sparseSize(s);
            int[] d = new int[n];
            long[] c = new long[n];
            t.sortedSparse(s, d, c);
            days = DayHistogram.of(d, c);
        }
        return new DurationSummary(t.cycleCount[s], t.cycleSeconds[s], days);
    }

    /**
     * Aggregates every row, in parallel chunks when the store is large.
     *
     * @param parallelThreshold the row count from which the scan is split over the common pool
     * @return the cells
     */
    public FunnelCells aggregateAll(int parallelThreshold) {
        ensureFinalStates();
        int n = store.size();
        if (n < parallelThreshold) {
            return aggregate(0, n);
        }
        int parts = Math.max(2, Runtime.getRuntime().availableProcessors() * 4);
        int chunk = (n + parts - 1) / parts;
        // parts combine as primitive tables (into the larger side), cells are built once
        CellTable[] all = IntStream.range(0, parts).parallel()
                .mapToObj(p -> tables(Math.min(n, p * chunk), Math.min(n, (p + 1) * chunk)))
                .reduce(ColumnScan::combine).orElseThrow();
        return toCells(all[0], all[1]);
    }

    private static CellTable[] combine(CellTable[] a, CellTable[] b) {
        CellTable cells = a[0].size() >= b[0].size() ? a[0] : b[0];
        cells.addAll(cells == a[0] ? b[0] : a[0]);
        CellTable times = a[1].size() >= b[1].size() ? a[1] : b[1];
        times.addAll(times == a[1] ? b[1] : a[1]);
        return new CellTable[] {cells, times};
    }

    /**
     * The figures of each owner of the query: the rows are clustered by owner
     * ({@link ColumnStore#finish()}), so each owner's rows are summed straight into small
     * dense arrays (no hash probe, no cell objects), and parallel parts own whole owners (no
     * merge). Only the query's owners' rows are read.
     *
     * @param rules the key rules of the funnel query
     * @param parallelThreshold the row count (of the query's owners) from which the owners are
     *     split over the common pool
     * @return the figures by owner code ({@code null} for owners outside the query or
     *     without an opportunity in the population)
     * @throws IllegalStateException when the store is not finished
     */
    public OwnerFigures[] ownerFigures(KeyRules rules, int parallelThreshold) {
        int[] start = store.ownerStart;
        if (start == null) {
            throw new IllegalStateException("the columns are not finished");
        }
        int[] selected = new int[ownerOk.length];
        int count = 0;
        long rows = 0;
        for (int o = 0; o < ownerOk.length; o++) {
            if (ownerOk[o] && start[o + 1] > start[o]) {
                selected[count++] = o;
                rows += start[o + 1] - start[o];
            }
        }
        OwnerFigures[] out = new OwnerFigures[ownerOk.length];
        if (rows < parallelThreshold || count < 2) {
            new OwnerScan(rules).run(selected, 0, count, out);
            return out;
        }
        // contiguous runs of owners holding about the same number of rows each
        int parts = Math.min(count, Math.max(2, Runtime.getRuntime().availableProcessors() * 4));
        int[] bounds = new int[parts + 1];
        long perPart = (rows + parts - 1) / parts;
        long acc = 0;
        int p = 1;
        for (int k = 0; k < count && p < parts; k++) {
            int o = selected[k];
            acc += start[o + 1] - start[o];
            if (acc >= perPart * p) {
                bounds[p++] = k + 1;
            }
        }
        while (p <= parts) {
            bounds[p++] = count;
        }
        int[] owners = selected;
        IntStream.range(0, parts).parallel()
                .forEach(part -> new OwnerScan(rules).run(owners, bounds[part], bounds[part + 1], out));
        return out;
    }

    /**
     * The owner of an owner code of the store.
     *
     * @param code the code
     * @return the owner
     */
    public ManagerId ownerOf(int code) {
        return store.ownerDict.value(code);
    }

    /**
     * The store's currencies, indexed by currency code (the money index of {@link OwnerFigures}).
     *
     * @return the currencies
     */
    public List<javax.money.CurrencyUnit> currencies() {
        List<javax.money.CurrencyUnit> out = new ArrayList<>(store.currencyDict.size());
        for (int c = 0; c < store.currencyDict.size(); c++) {
            out.add(store.currencyDict.value(c));
        }
        return out;
    }

    /** One thread's scratch state for {@link #ownerFigures}: sums of the owner being scanned. */
    private final class OwnerScan {
        private final KeyRules rules;
        private final Row row = new Row();
        private final int slots = FunnelTotals.moneySlots(open);
        private final long[] counts = new long[FunnelTotals.countSlots(open)];
        private final long[] money = new long[store.currencyDict.size() * slots];
        /** Rows whose reached stages are exactly the first {@code L}, by {@code L}. */
        private final long[] prefixCount = new long[open + 1];
        /** Their amounts, per currency: {@code [currency * (n + 1) + L]}. */
        private final long[] prefixAmount = new long[store.currencyDict.size() * (open + 1)];
        private final long[] durationSeconds = new long[open + 2];
        /**
         * The owner's day histograms, one per duration kind, side by side: day {@code d} of
         * kind {@code k} at {@code k * stride + d}. One flat array keeps the hot increments
         * in a few cache lines; the stride grows (rarely) when a day does not fit.
         */
        private int[] histogram;
        private int stride;
        /** The highest day counted per kind since the last owner (-1: none). */
        private final int[] maxDay = new int[open + 2];
        private int[] scratchDays = new int[64];
        private long[] scratchCounts = new long[64];

        OwnerScan(KeyRules rules) {
            this.rules = rules;
            this.stride = 512;
            this.histogram = new int[(open + 2) * stride];
            java.util.Arrays.fill(maxDay, -1);
        }

        void run(int[] owners, int from, int to, OwnerFigures[] out) {
            int n = open;
            int[] start = store.ownerStart;
            for (int k = from; k < to; k++) {
                int o = owners[k];
                if (finals != null && !activity) {
                    finals.ensure(o, processCode, ColumnScan.this::deriveFinalStates);
                }
                for (int i = start[o]; i < start[o + 1]; i++) {
                    if (row.evaluate(i)) {
                        add(i, n);
                    }
                }
                if (counts[OwnerFigures.COUNT] > 0) {
                    out[o] = take();
                }
            }
        }

        private void add(int i, int n) {
            int stage = row.stage;
            long amount = store.amountMinor[i];
            int cur = store.currency[i];
            int base = cur * slots;
            counts[OwnerFigures.COUNT]++;
            long reached = rules.reached(row.mask, stage == n, row.priorStage, row.priorMask);
            if ((reached & (reached + 1)) == 0) {
                // the first L stages (always so for LINEAR outside activity windows): one add,
                // spread over the stages once per owner in take()
                int level = 64 - Long.numberOfLeadingZeros(reached);
                prefixCount[level]++;
                int p = cur * (n + 1) + level;
                prefixAmount[p] = Math.addExact(prefixAmount[p], amount);
            } else {
                addReached(reached, base, amount);
            }
            if (stage < n) {
                addOpen(i, n, base, stage, amount);
            } else if (rules.closedCounts(stage, row.priorStage)) {
                addClosed(i, n, base);
            }
            addVisits();
        }

        /** Reached stages that are not a prefix (STRICT, activity windows), stage by stage. */
        private void addReached(long reached, int base, long amount) {
            while (reached != 0) {
                int s = Long.numberOfTrailingZeros(reached);
                reached &= reached - 1;
                counts[OwnerFigures.REACHED + s]++;
                money[base + s] = Math.addExact(money[base + s], amount);
            }
        }

        /** The open part of {@link #add}. */
        private void addOpen(int i, int n, int base, int stage, long amount) {
            long[] m = money;
            counts[OwnerFigures.OPEN]++;
            counts[OwnerFigures.REACHED + n + stage]++;
            long weighted = Math.multiplyExact(amount, row.probability(i));
            m[base + n + stage] = Math.addExact(m[base + n + stage], amount);
            m[base + 2 * n + stage] = Math.addExact(m[base + 2 * n + stage], weighted);
            m[base + 3 * n] = Math.addExact(m[base + 3 * n], amount);
            m[base + 3 * n + 1] = Math.addExact(m[base + 3 * n + 1], weighted);
        }

        /** The closed part of {@link #add} (methods kept small so the JIT inlines them into the loop). */
        private void addClosed(int i, int n, int base) {
            long cycle = row.cycleSeconds(i);
            int day = Math.toIntExact(cycle / DurationSummary.SECONDS_PER_DAY);
            addDuration(0, cycle, day);
            if (row.stage == n) {
                counts[OwnerFigures.WON]++;
                addDuration(1, cycle, day);
                money[base + 3 * n + 2] = Math.addExact(money[base + 3 * n + 2], row.revenue(i));
            } else {
                counts[OwnerFigures.LOST]++;
                int f = 63 - Long.numberOfLeadingZeros(row.mask);
                if (f >= 0) {
                    counts[OwnerFigures.REACHED + 2 * n + f]++;
                }
            }
        }

        /** The finished stage visits of the row into the time-in-stage histograms. */
        private void addVisits() {
            long visited = row.visited;
            for (int k = 0; visited != 0; k++) {
                int st = Long.numberOfTrailingZeros(visited);
                visited &= visited - 1;
                addDuration(2 + st, row.stageSeconds(st, k), row.stageDays(st, k));
            }
        }

        private void addDuration(int d, long seconds, int day) {
            durationSeconds[d] = Math.addExact(durationSeconds[d], seconds);
            if (day >= stride) {
                widen(day);
            }
            histogram[d * stride + day]++;
            if (day > maxDay[d]) {
                maxDay[d] = day;
            }
        }

        /** Re-lays the histograms out with a stride above {@code day}. */
        private void widen(int day) {
            int wider = Integer.highestOneBit(day) << 1;
            int[] h = new int[(open + 2) * wider];
            for (int k = 0; k < open + 2; k++) {
                System.arraycopy(histogram, k * stride, h, k * wider, maxDay[k] + 1);
            }
            histogram = h;
            stride = wider;
        }

        /** The figures of the owner just scanned; clears the scratch for the next one. */
        private OwnerFigures take() {
            int n = open;
            for (int c = 0; c < prefixAmount.length / (n + 1); c++) {
                long count = 0;
                long amount = 0;
                int base = c * slots;
                for (int level = n; level >= 1; level--) {
                    int p = c * (n + 1) + level;
                    if (c == 0) {
                        count += prefixCount[level];
                        counts[OwnerFigures.REACHED + level - 1] += count;
                    }
                    amount = Math.addExact(amount, prefixAmount[p]);
                    money[base + level - 1] = Math.addExact(money[base + level - 1], amount);
                }
            }
            java.util.Arrays.fill(prefixCount, 0);
            java.util.Arrays.fill(prefixAmount, 0);
            int kinds = n + 2;
            int[][] days = new int[kinds][];
            long[][] dayCounts = new long[kinds][];
            long[] durationCount = new long[kinds];
            for (int d = 0; d < kinds; d++) {
                int hi = maxDay[d];
                int k = 0;
                long total = 0;
                if (hi >= 0) {
                    if (scratchDays.length < hi + 1) {
                        scratchDays = new int[Integer.highestOneBit(hi + 1) << 1];
                        scratchCounts = new long[scratchDays.length];
                    }
                    int[] h = histogram;
                    for (int day = 0, at = d * stride; day <= hi; day++, at++) {
                        int c = h[at];
                        if (c != 0) {
                            scratchDays[k] = day;
                            scratchCounts[k++] = c;
                            total += c;
                            h[at] = 0;
                        }
                    }
                }
                durationCount[d] = total;
                days[d] = java.util.Arrays.copyOf(scratchDays, k);
                dayCounts[d] = java.util.Arrays.copyOf(scratchCounts, k);
                maxDay[d] = -1;
            }
            OwnerFigures f = new OwnerFigures(counts.clone(), money.clone(), durationCount,
                    durationSeconds.clone(), days, dayCounts);
            java.util.Arrays.fill(counts, 0);
            java.util.Arrays.fill(money, 0);
            java.util.Arrays.fill(durationSeconds, 0);
            return f;
        }
    }

    /**
     * The facts of every row in the population, computed lazily in row order (owner by owner,
     * see {@link ColumnStore#finish()}); safe to run in
     * parallel (each thread replays rows into its own scratch state).
     *
     * @return the facts
     */
    public Stream<OpportunityFacts> facts() {
        ensureFinalStates();
        ThreadLocal<Row> rows = ThreadLocal.withInitial(Row::new);
        return IntStream.range(0, store.size()).mapToObj(i -> {
            Row row = rows.get();
            return row.evaluate(i) ? facts(row, i) : null;
        }).filter(java.util.Objects::nonNull);
    }

    private OpportunityFacts facts(Row row, int i) {
        int reason = row.reason(i);
        int competitor = row.competitor(i);
        CellKey key = new CellKey(store.ownerDict.value(store.owner[i]), row.status(), row.stage, row.mask,
                row.priorStage, row.priorMask, store.currencyDict.value(store.currency[i]),
                reason < 0 ? null : store.textDict.value(reason),
                competitor < 0 ? null : store.textDict.value(competitor), row.bucket);
        List<StageTime> times = new ArrayList<>();
        for (int st = 0, k = 0; st < open; st++) {
            if ((row.visited & (1L << st)) != 0) {
                times.add(new StageTime(st, row.stageSeconds(st, k++)));
            }
        }
        return new OpportunityFacts(store.ids[i], key, store.amountMinor[i], row.probability(i), row.revenue(i),
                row.cycleSeconds(i), times);
    }

}
