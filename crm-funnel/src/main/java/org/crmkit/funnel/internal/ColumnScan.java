package org.crmkit.funnel.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageReplay;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.FunnelStats.Count;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.FunnelStats.Money;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * One aggregate query compiled against a {@link ColumnStore}: the query's sets become boolean
 * arrays over the store's codes and its instants nanoseconds, so the per-row test is a
 * primitive loop, and each row's state is replayed with {@link StageReplay} (or read from the
 * row's end state, itself derived with {@link StageReplay}, when the whole history is in
 * effect). Implements exactly the definitions of {@link FunnelReference} (property-tested).
 *
 * <p>The rows are clustered by owner ({@link ColumnStore#finish()}), so each owner's rows are
 * summed straight into small dense arrays (no hash probe, no object per row) and parallel
 * parts own whole owners (no merge); each owner's sums become one {@link FunnelStats}.
 */
public final class ColumnScan {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    private final ColumnStore store;
    private final AggregateQuery query;
    private final int processCode;
    private final boolean[] ownerOk;
    private final boolean[] currencyOk;
    private final boolean[] clientOk;
    private final Predicate<Opportunity> predicate;
    private final int[] codeToStage;
    private final int[] defaultProbability;
    private final int open;
    private final long asOfNanos;
    private final long createdFrom;
    private final long createdUntil;
    private final boolean activity;
    private final BucketBy bucketBy;
    private final long[] bucketStart;
    private final long[] bucketEnd;
    private final ZoneRules zoneRules;
    private final int fixedOffsetSeconds;
    /** The end states of the process's rows, or null when the process has too many stages. */
    private final FinalStates finals;
    private final CurrencyUnit[] currencies;

    /**
     * Compiles a query against a store.
     *
     * @param store the columns
     * @param query the query
     * @throws ValidationException when the query has a custom predicate and the store did
     *     not retain the opportunities
     */
    public ColumnScan(ColumnStore store, AggregateQuery query) {
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
        this.asOfNanos = StageReplay.saturatedNanos(query.asOf());
        this.createdFrom = query.createdFrom() == null ? Long.MIN_VALUE : StageReplay.saturatedNanos(query.createdFrom());
        this.createdUntil = query.createdUntil() == null ? Long.MAX_VALUE
                : StageReplay.saturatedNanos(query.createdUntil());
        this.activity = query.hasActivityWindow();
        this.bucketBy = query.bucketBy();
        List<Period> buckets = query.buckets();
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
        ValidationException.require(store.textDict.size() < 0xFFFFFE, "reasons", store.textDict.size(),
                "fewer than 16777214 distinct reasons and competitors");
        this.finals = processCode < 0 || open > FinalStates.MAX_OPEN_STAGES ? null
                : store.finalStates(processCode, process);
        this.currencies = new CurrencyUnit[store.currencyDict.size()];
        for (int c = 0; c < currencies.length; c++) {
            currencies[c] = store.currencyDict.value(c);
        }
    }

    /**
     * Derives the end states of one owner's rows of the process (see {@link FinalStates}):
     * the state as of the end of time, with the same replay as every query. Deterministic, so
     * it fills the same values whichever thread runs it.
     */
    private void deriveFinalStates(int owner) {
        FinalStates f = finals;
        Row row = new Row(new StageReplay(open, Instant.MAX)); // never fast: its state comes from replay()
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
            row.replay(from, to);
            StageReplay r = row.replay;
            long visited = r.visitedMask();
            boolean fits = true;
            for (int k = 0; visited != 0; k++) {
                int st = Long.numberOfTrailingZeros(visited);
                visited &= visited - 1;
                long secs = r.secondsIn(st);
                fits &= secs >= 0 && secs <= Integer.MAX_VALUE;
                f.visitSeconds[from + k] = (int) secs;
                f.visitDays[from + k] = (int) (secs / DurationSummary.SECONDS_PER_DAY);
            }
            long cycleSeconds = r.cycleSeconds(store.createdNanos[i]);
            if (!fits || cycleSeconds > Integer.MAX_VALUE) {
                // a duration of more than 68 years: kept exact by replaying the row per query
                continue;
            }
            f.cycleSeconds[i] = (int) cycleSeconds;
            f.packed[i] = r.stage() | (int) (r.enteredMask() << FinalStates.MASK_SHIFT)
                    | (int) (r.visitedMask() << FinalStates.VISITED_SHIFT);
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

    /** Per-thread scratch state of the row being read. */
    private final class Row {
        final StageReplay replay;
        int stage;
        long mask;
        int priorStage;
        long priorMask;
        long lastAt;
        long visited;
        boolean sameAsNow;
        int bucket;

        /** Whether the row's state came from the process's {@link FinalStates} (no replay). */
        boolean fast;
        /** With {@link #fast}: where the row's visit seconds start in {@link FinalStates#visitSeconds}. */
        int visitBase;

        Row(StageReplay replay) {
            this.replay = replay;
        }

        /** Reads row {@code i}; returns whether it belongs to the population. */
        boolean evaluate(int i) {
            if (store.process[i] != processCode || !ownerOk[store.owner[i]]
                    || (currencyOk != null && !currencyOk[store.currency[i]])
                    || (clientOk != null && !clientOk[store.client[i]])) {
                return false;
            }
            long created = store.createdNanos[i];
            if (created > asOfNanos || created < createdFrom || created >= createdUntil) {
                return false;
            }
            if (predicate != null && !predicate.test(store.retained.get(i))) {
                return false;
            }
            int from = store.transitionStart[i];
            int to = store.transitionStart[i + 1];
            int packed = finals == null || activity ? -1 : finals.packed[i];
            if (packed >= 0 && store.transitionNanos[to - 1] <= asOfNanos) {
                // the whole history is in effect: its end state is the row's state
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
            } else {
                day = epochDay(lastAt);
            }
            bucket = bucketOf(day);
            return bucket >= 0;
        }

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

        /** Replays the row to the query's instant; returns whether it is in the population. */
        private boolean replayed(int from, int to) {
            fast = false;
            int last = replay(from, to);
            StageReplay r = replay;
            if (r.stage() < 0 || (activity && !r.changedInWindow())) {
                return false;
            }
            stage = r.stage();
            mask = r.enteredMask();
            visited = r.visitedMask();
            priorStage = r.priorStage();
            priorMask = r.priorEnteredMask();
            lastAt = r.lastAtNanos();
            sameAsNow = store.transitionCode[last] == store.transitionCode[to - 1];
            return true;
        }

        /** Replays transitions {@code [from, to)}; returns the index of the last one in effect. */
        int replay(int from, int to) {
            StageReplay r = replay;
            r.start();
            int last = from - 1;
            for (int t = from; t < to; t++) {
                int code = store.transitionCode[t];
                int st = codeToStage[code];
                boolean applied;
                try {
                    applied = r.offer(st, store.transitionNanos[t]);
                } catch (ValidationException e) {
                    // cold path: find the row whose transitions these are, to name it
                    int row = java.util.Arrays.binarySearch(store.transitionStart, 0, store.size + 1, from);
                    while (row > 0 && store.transitionStart[row - 1] == from) {
                        row--;
                    }
                    throw new ValidationException("stage", store.codeDict.value(code),
                            "a stage of process " + query.process().id()).forOpportunity(row >= 0 && row < store.size
                                    ? store.ids[row] : null);
                }
                if (!applied) {
                    break;
                }
                last = t;
            }
            return last;
        }

        /**
         * The seconds spent in visited open stage {@code st}, the {@code k}-th set bit of
         * {@link #visited}.
         */
        long stageSeconds(int st, int k) {
            return fast ? finals.visitSeconds[visitBase + k] : replay.secondsIn(st);
        }

        /** {@link #stageSeconds} in whole days (truncated). */
        int stageDays(int st, int k) {
            return fast ? finals.visitDays[visitBase + k]
                    : Math.toIntExact(replay.secondsIn(st) / DurationSummary.SECONDS_PER_DAY);
        }

        int probability(int i) {
            return sameAsNow ? store.probability[i] : defaultProbability[stage];
        }

        long revenue(int i) {
            return sameAsNow && store.revenueMinor[i] >= 0 ? store.revenueMinor[i] : store.amountMinor[i];
        }

        long cycleSeconds(int i) {
            return fast ? finals.cycleSeconds[i]
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
     * The answer of the query: each owner's stats per bucket. Only the query's owners' rows are
     * read; from {@code parallelThreshold} rows on, runs of owners holding about the same number
     * of rows are scanned on the common pool.
     *
     * @param parallelThreshold the row count (of the query's owners) from which the owners are
     *     split over the common pool
     * @return the stats per owner and bucket
     * @throws IllegalStateException when the store is not finished
     */
    public OwnerAggregates<FunnelStats> aggregate(int parallelThreshold) {
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
        int buckets = query.bucketCount();
        FunnelStats[][] out = new FunnelStats[ownerOk.length][];
        if (rows < parallelThreshold || count < 2) {
            new OwnerScan().run(selected, 0, count, out);
        } else {
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
                    .forEach(part -> new OwnerScan().run(owners, bounds[part], bounds[part + 1], out));
        }
        OwnerAggregates.Builder<FunnelStats> answer = OwnerAggregates.builder(buckets);
        for (int o = 0; o < out.length; o++) {
            if (out[o] != null) {
                ManagerId owner = store.ownerDict.value(o);
                for (int b = 0; b < buckets; b++) {
                    if (out[o][b] != null) {
                        answer.add(owner, b, out[o][b]);
                    }
                }
            }
        }
        return answer.build();
    }

    /** One thread's scratch state for {@link #aggregate}: the sums of the owner (and bucket) being scanned. */
    private final class OwnerScan {
        // layout of the count and money sums: that of FunnelStats (Count and Money slots)
        private final int n = open;
        private final int countSlots = 4 + 5 * n;
        private final int slots = 4 * n + 4;
        private final Row row = new Row(query.newReplay());
        private final long[] counts = new long[countSlots];
        private final long[] money = new long[currencies.length * slots];
        /** Rows whose reached stages are exactly the first {@code L}, by {@code L}. */
        private final long[] prefixCount = new long[n + 1];
        /** Counted wins / losses among them, by {@code L}. */
        private final long[] prefixWon = new long[n + 1];
        private final long[] prefixLost = new long[n + 1];
        /** Their amounts, per currency: {@code [currency * (n + 1) + L]}. */
        private final long[] prefixAmount = new long[currencies.length * (n + 1)];
        private final long[] durationSeconds = new long[n + 2];
        /**
         * The owner's day histograms, one per duration kind, side by side: day {@code d} of
         * kind {@code k} at {@code k * stride + d}. One flat array keeps the hot increments
         * in a few cache lines; the stride grows (rarely) when a day does not fit.
         */
        private int[] histogram;
        private int stride;
        /** The highest day counted per kind since the last take (-1: none). */
        private final int[] maxDay = new int[n + 2];
        private int[] scratchDays = new int[64];
        private long[] scratchCounts = new long[64];
        /** Win/loss sums of the owner: key (status, reason, competitor, currency) to {count, minor}. */
        private final Map<Long, long[]> closes = query.winLoss() ? new HashMap<>() : null;
        /** For bucketed queries: the owner's rows in the population, by (bucket, row). */
        private long[] order = new long[0];

        OwnerScan() {
            this.stride = 512;
            this.histogram = new int[(n + 2) * stride];
            Arrays.fill(maxDay, -1);
        }

        void run(int[] owners, int from, int to, FunnelStats[][] out) {
            int[] start = store.ownerStart;
            int buckets = query.bucketCount();
            for (int k = from; k < to; k++) {
                int o = owners[k];
                if (finals != null && !activity) {
                    finals.ensure(o, processCode, ColumnScan.this::deriveFinalStates);
                }
                if (bucketBy == BucketBy.NONE) {
                    for (int i = start[o]; i < start[o + 1]; i++) {
                        if (row.evaluate(i)) {
                            add(i);
                        }
                    }
                    if (counts[0] > 0) {
                        out[o] = new FunnelStats[buckets];
                        out[o][0] = take();
                    }
                } else {
                    runBucketed(o, out);
                }
            }
        }

        /** One owner of a bucketed query: its rows placed in buckets, then summed bucket by bucket. */
        private void runBucketed(int o, FunnelStats[][] out) {
            int first = store.ownerStart[o];
            int size = store.ownerStart[o + 1] - first;
            if (order.length < size) {
                order = new long[size];
            }
            int m = 0;
            for (int r = 0; r < size; r++) {
                if (row.evaluate(first + r)) {
                    order[m++] = ((long) row.bucket << 32) | r;
                }
            }
            if (m == 0) {
                return;
            }
            Arrays.sort(order, 0, m);
            out[o] = new FunnelStats[query.bucketCount()];
            int current = (int) (order[0] >>> 32);
            for (int k = 0; k < m; k++) {
                int b = (int) (order[k] >>> 32);
                if (b != current) {
                    out[o][current] = take();
                    current = b;
                }
                row.evaluate(first + (int) order[k]);
                add(first + (int) order[k]);
            }
            out[o][current] = take();
        }

        private void add(int i) {
            int stage = row.stage;
            long amount = store.amountMinor[i];
            int cur = store.currency[i];
            int base = cur * slots;
            counts[0]++;
            long reached = query.reachedMask(row.mask, stage, row.priorStage, row.priorMask);
            boolean prefix = (reached & (reached + 1)) == 0;
            int level = 64 - Long.numberOfLeadingZeros(reached);
            if (prefix) {
                // the first L stages (always so for LINEAR outside activity windows): one add,
                // spread over the stages once per owner in take()
                prefixCount[level]++;
                int p = cur * (n + 1) + level;
                prefixAmount[p] = AmountOverflowException.add(prefixAmount[p], amount, "funnel amount");
            } else {
                addReached(reached, base, amount);
            }
            if (stage < n) {
                addOpen(i, base, stage, amount);
            } else if (query.countsClosed(stage, row.lastAt)) {
                addClosed(i, base, reached, prefix, level);
            }
            addVisits();
        }

        /** Reached stages that are not a prefix (STRICT, activity windows), stage by stage. */
        private void addReached(long reached, int base, long amount) {
            while (reached != 0) {
                int s = Long.numberOfTrailingZeros(reached);
                reached &= reached - 1;
                counts[4 + s]++;
                money[base + s] = AmountOverflowException.add(money[base + s], amount, "funnel amount");
            }
        }

        /** The open part of {@link #add}. */
        private void addOpen(int i, int base, int stage, long amount) {
            long[] m = money;
            counts[1]++;
            counts[4 + n + stage]++;
            long weighted = AmountOverflowException.multiply(amount, row.probability(i), "weighted amount");
            m[base + n + stage] = AmountOverflowException.add(m[base + n + stage], amount, "funnel amount");
            m[base + 2 * n + stage] = AmountOverflowException.add(m[base + 2 * n + stage], weighted, "weighted amount");
            m[base + 4 * n] = AmountOverflowException.add(m[base + 4 * n], amount, "funnel amount");
            m[base + 4 * n + 1] = AmountOverflowException.add(m[base + 4 * n + 1], weighted, "weighted amount");
        }

        /** The closed part of {@link #add} (methods kept small so the JIT inlines them into the loop). */
        private void addClosed(int i, int base, long reached, boolean prefix, int level) {
            long cycle = row.cycleSeconds(i);
            int day = Math.toIntExact(cycle / DurationSummary.SECONDS_PER_DAY);
            addDuration(0, cycle, day);
            boolean won = row.stage == n;
            long minor;
            if (won) {
                counts[2]++;
                addDuration(1, cycle, day);
                minor = row.revenue(i);
                money[base + 4 * n + 2] = AmountOverflowException.add(money[base + 4 * n + 2], minor, "funnel amount");
            } else {
                counts[3]++;
                minor = store.amountMinor[i];
                money[base + 4 * n + 3] = AmountOverflowException.add(money[base + 4 * n + 3], minor, "funnel amount");
                int f = 63 - Long.numberOfLeadingZeros(row.mask);
                if (f >= 0) {
                    counts[4 + 2 * n + f]++;
                    money[base + 3 * n + f] = AmountOverflowException.add(money[base + 3 * n + f], minor, "funnel amount");
                }
            }
            if (prefix) {
                (won ? prefixWon : prefixLost)[level]++;
            } else {
                int offset = 4 + (won ? 3 : 4) * n;
                for (long r = reached; r != 0; r &= r - 1) {
                    counts[offset + Long.numberOfTrailingZeros(r)]++;
                }
            }
            if (closes != null) {
                long key = (won ? 1L : 0L) | ((long) (row.reason(i) + 1) << 1) | ((long) (row.competitor(i) + 1) << 25)
                        | ((long) store.currency[i] << 49);
                long[] sum = closes.computeIfAbsent(key, k -> new long[2]);
                sum[0]++;
                sum[1] = AmountOverflowException.add(sum[1], minor, "funnel amount");
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
            durationSeconds[d] = AmountOverflowException.add(durationSeconds[d], seconds, "duration seconds");
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
            int[] h = new int[(n + 2) * wider];
            for (int k = 0; k < n + 2; k++) {
                System.arraycopy(histogram, k * stride, h, k * wider, maxDay[k] + 1);
            }
            histogram = h;
            stride = wider;
        }

        /** The stats of the owner (and bucket) just scanned; clears the scratch for the next one. */
        private FunnelStats take() {
            spreadPrefixes();
            FunnelStats.Builder b = FunnelStats.builder(n);
            for (Count f : Count.values()) {
                if (!f.perStage()) {
                    b.addCount(f, counts[slot(f, 0)]);
                    continue;
                }
                for (int s = 0; s < n; s++) {
                    long v = counts[slot(f, s)];
                    if (v != 0) {
                        b.addCount(f, s, v);
                    }
                }
            }
            for (int c = 0; c < currencies.length; c++) {
                int base = c * slots;
                for (Money f : Money.values()) {
                    if (!f.perStage()) {
                        b.addMinor(f, currencies[c], money[base + slot(f, 0)]);
                        continue;
                    }
                    for (int s = 0; s < n; s++) {
                        b.addMinor(f, s, currencies[c], money[base + slot(f, s)]);
                    }
                }
            }
            for (int d = 0; d < n + 2; d++) {
                takeDurations(b, d);
            }
            if (closes != null) {
                closes.forEach((key, sum) -> {
                    int reason = (int) ((key >>> 1) & 0xFFFFFF) - 1;
                    int competitor = (int) ((key >>> 25) & 0xFFFFFF) - 1;
                    b.addClose((key & 1) == 1 ? OpportunityStatus.WON : OpportunityStatus.LOST,
                            reason < 0 ? null : store.textDict.value(reason),
                            competitor < 0 ? null : store.textDict.value(competitor),
                            currencies[(int) (key >>> 49)], sum[0], sum[1]);
                });
                closes.clear();
            }
            Arrays.fill(counts, 0);
            Arrays.fill(money, 0);
            Arrays.fill(durationSeconds, 0);
            return b.build();
        }

        private int slot(Count f, int s) {
            return switch (f) {
                case COUNT -> 0;
                case OPEN -> 1;
                case WON -> 2;
                case LOST -> 3;
                case REACHED -> 4 + s;
                case AT -> 4 + n + s;
                case DROPPED -> 4 + 2 * n + s;
                case WON_REACHED -> 4 + 3 * n + s;
                case LOST_REACHED -> 4 + 4 * n + s;
            };
        }

        private int slot(Money f, int s) {
            return switch (f) {
                case REACHED_AMOUNT -> s;
                case AT_AMOUNT -> n + s;
                case AT_WEIGHTED -> 2 * n + s;
                case DROPPED_AMOUNT -> 3 * n + s;
                case OPEN_AMOUNT -> 4 * n;
                case OPEN_WEIGHTED -> 4 * n + 1;
                case WON_REVENUE -> 4 * n + 2;
                case LOST_AMOUNT -> 4 * n + 3;
            };
        }

        /** Spreads the prefix counts over the stages: a row reaching the first L stages reached each of them. */
        private void spreadPrefixes() {
            long count = 0;
            long won = 0;
            long lost = 0;
            for (int level = n; level >= 1; level--) {
                count += prefixCount[level];
                won += prefixWon[level];
                lost += prefixLost[level];
                counts[4 + level - 1] += count;
                counts[4 + 3 * n + level - 1] += won;
                counts[4 + 4 * n + level - 1] += lost;
            }
            for (int c = 0; c < currencies.length; c++) {
                long amount = 0;
                int base = c * slots;
                for (int level = n; level >= 1; level--) {
                    amount = AmountOverflowException.add(amount, prefixAmount[c * (n + 1) + level], "funnel amount");
                    money[base + level - 1] = AmountOverflowException.add(money[base + level - 1], amount, "funnel amount");
                }
            }
            Arrays.fill(prefixCount, 0);
            Arrays.fill(prefixWon, 0);
            Arrays.fill(prefixLost, 0);
            Arrays.fill(prefixAmount, 0);
        }

        /** One duration kind's histogram into the builder (sorted distinct days); clears it. */
        private void takeDurations(FunnelStats.Builder b, int d) {
            int hi = maxDay[d];
            if (hi < 0) {
                return;
            }
            if (scratchDays.length < hi + 1) {
                scratchDays = new int[Integer.highestOneBit(hi + 1) << 1];
                scratchCounts = new long[scratchDays.length];
            }
            int[] h = histogram;
            int k = 0;
            long total = 0;
            for (int day = 0, at = d * stride; day <= hi; day++, at++) {
                int c = h[at];
                if (c != 0) {
                    scratchDays[k] = day;
                    scratchCounts[k++] = c;
                    total += c;
                    h[at] = 0;
                }
            }
            Duration f = d == 0 ? Duration.CYCLE : d == 1 ? Duration.WON_CYCLE : Duration.TIME_IN_STAGE;
            b.addDurations(f, Math.max(0, d - 2), total, durationSeconds[d], scratchDays, scratchCounts, k);
            maxDay[d] = -1;
        }
    }

    /**
     * The ids behind a measure: the rows of the population that belong to it, in row order
     * (owner by owner).
     *
     * @param measure the measure
     * @param stage the open stage of a per-stage measure
     * @return the ids
     */
    public Stream<OpportunityId> ids(FunnelMeasure measure, int stage) {
        List<OpportunityId> out = new ArrayList<>();
        Row row = new Row(query.newReplay());
        for (int o = 0; o < ownerOk.length; o++) {
            if (!ownerOk[o]) {
                continue;
            }
            if (finals != null && !activity) {
                finals.ensure(o, processCode, this::deriveFinalStates);
            }
            for (int i = store.ownerStart[o]; i < store.ownerStart[o + 1]; i++) {
                if (row.evaluate(i) && FunnelReference.matches(query, measure, stage, row.stage, row.mask,
                        row.priorStage, row.priorMask, row.lastAt)) {
                    out.add(store.ids[i]);
                }
            }
        }
        return out.stream();
    }
}
