package org.crmkit.funnel.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.money.CurrencyUnit;
import org.crmkit.core.ClientId;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ProcessId;
import org.crmkit.core.StageReplay;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * Opportunities held as columns: one primitive array per field, interned codes for
 * references, the stage history flattened into two arrays with per-row offsets. Instants
 * are nanoseconds since the epoch (years 1678–2261). Built by {@link #add}, then
 * {@link #finish() finished}: the rows are reordered so that each owner's rows are
 * contiguous ({@link #ownerStart}), in insertion order within an owner, and every column is
 * trimmed to its size. Read-only once finished.
 */
public final class ColumnStore {
    /** No value in an int code column. */
    public static final int NONE = -1;

    final Dictionary<ManagerId> ownerDict = new Dictionary<>();
    final Dictionary<ProcessId> processDict = new Dictionary<>();
    final Dictionary<CurrencyUnit> currencyDict = new Dictionary<>();
    final Dictionary<ClientId> clientDict = new Dictionary<>();
    final Dictionary<String> codeDict = new Dictionary<>();
    final Dictionary<String> textDict = new Dictionary<>();

    int size;
    OpportunityId[] ids = new OpportunityId[16];
    int[] owner = new int[16];
    int[] process = new int[16];
    int[] currency = new int[16];
    int[] client = new int[16];
    long[] amountMinor = new long[16];
    int[] probability = new int[16];
    long[] createdNanos = new long[16];
    long[] expectedCloseDay = new long[16];
    long[] revenueMinor = new long[16];
    /** The budget in minor units, -1 when unknown (forecast only). */
    long[] budgetMinor = new long[16];
    /** Forecast flags: bits 0-1 status (OPEN 0, WON 1, LOST 2), bit 2 amount known, bits 3-5 hand category ordinal + 1. */
    byte[] forecastFlags = new byte[16];
    /** The code ({@link #codeDict}) of the current stage. */
    int[] stageCode = new int[16];
    /** The recorded close date (epoch day), {@link Long#MIN_VALUE} when open. */
    long[] closeDay = new long[16];
    int[] reason = new int[16];
    int[] competitor = new int[16];
    /**
     * When a tracked value last changed ({@link Opportunity#lastChangeAt}, epoch nanoseconds),
     * {@link Long#MIN_VALUE} when never: the columns hold today's values, and a query as of an
     * earlier instant says how many deals it counts with them. Null until a deal with a change
     * is added: a book without field history pays nothing for it.
     */
    long[] lastChange;
    /** The latest of {@link #lastChange}. */
    private long latestValueChange = Long.MIN_VALUE;
    /**
     * When the field history starts, if after creation ({@link Opportunity#historyStartsAfter}:
     * a deal stored before its store kept history; epoch nanoseconds), else {@link Long#MIN_VALUE}.
     * Null until such a deal is added.
     */
    long[] historyStart;
    /** The latest of {@link #historyStart}. */
    private long latestHistoryStart = Long.MIN_VALUE;
    int[] transitionStart = new int[17];
    int transitionCount;
    int[] transitionCode = new int[64];
    long[] transitionNanos = new long[64];
    List<Opportunity> retained;
    /** The process definition each process code's end states were derived with. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, org.crmkit.core.SalesProcess> finalsProcess =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile FinalStates finals;
    /** After {@link #finish()}: rows of owner code {@code o} are {@code [ownerStart[o], ownerStart[o + 1])}. */
    int[] ownerStart;

    /**
     * Creates an empty store.
     *
     * @param retain whether to keep the opportunities themselves (for custom predicates)
     */
    public ColumnStore(boolean retain) {
        this.retained = retain ? new ArrayList<>() : null;
    }

    /** Epoch nanoseconds of a model instant (the conversion of {@link StageReplay}). */
    private static long nanos(Instant instant) {
        return StageReplay.nanos(instant);
    }

    /**
     * Appends an opportunity.
     *
     * @param opp the opportunity
     */
    public void add(Opportunity opp) {
        if (ownerStart != null) {
            throw new IllegalStateException("the columns are finished");
        }
        if (size == ids.length) {
            grow();
        }
        int i = size;
        ids[i] = opp.id();
        owner[i] = ownerDict.code(opp.owner());
        process[i] = processDict.code(opp.processId());
        currency[i] = currencyDict.code(opp.currency());
        // a deal without a client gets the code of null, which no client filter allows
        client[i] = clientDict.code(opp.client().map(org.crmkit.core.ClientRef::id).orElse(null));
        amountMinor[i] = opp.amount().map(Amounts::toMinorUnits).orElse(0L);
        probability[i] = opp.probability();
        createdNanos[i] = nanos(opp.createdAt());
        expectedCloseDay[i] = opp.expectedCloseDate().toEpochDay();
        CloseInfo close = opp.closeInfo().orElse(null);
        revenueMinor[i] = close == null || close.actualRevenue() == null ? -1 : Amounts.toMinorUnits(close.actualRevenue());
        budgetMinor[i] = opp.budget().map(Amounts::toMinorUnits).orElse(-1L);
        forecastFlags[i] = (byte) (opp.status().ordinal() | (opp.amount().isPresent() ? 4 : 0)
                | (opp.forecastCategory().map(c -> c.ordinal() + 1).orElse(0) << 3));
        stageCode[i] = codeDict.code(opp.stage());
        long changed = opp.lastChangeAt().map(ColumnStore::nanos).orElse(Long.MIN_VALUE);
        if (changed != Long.MIN_VALUE && lastChange == null) {
            lastChange = unset(ids.length);
        }
        if (lastChange != null) {
            lastChange[i] = changed;
            latestValueChange = Math.max(latestValueChange, changed);
        }
        long started = opp.historyStartsAfter(opp.createdAt()) ? nanos(opp.historyStart()) : Long.MIN_VALUE;
        if (started != Long.MIN_VALUE && historyStart == null) {
            historyStart = unset(ids.length);
        }
        if (historyStart != null) {
            historyStart[i] = started;
            latestHistoryStart = Math.max(latestHistoryStart, started);
        }
        closeDay[i] = close == null ? Long.MIN_VALUE : close.closeDate().toEpochDay();
        reason[i] = close == null || close.reason() == null ? NONE : textDict.code(close.reason());
        competitor[i] = close == null || close.winningCompetitor() == null ? NONE
                : textDict.code(close.winningCompetitor());
        List<StageTransition> ts = opp.transitions();
        if (transitionCount + ts.size() > transitionCode.length) {
            int cap = Math.max(transitionCode.length * 2, transitionCount + ts.size());
            transitionCode = Arrays.copyOf(transitionCode, cap);
            transitionNanos = Arrays.copyOf(transitionNanos, cap);
        }
        for (StageTransition t : ts) {
            transitionCode[transitionCount] = codeDict.code(t.to());
            transitionNanos[transitionCount++] = nanos(t.at());
        }
        transitionStart[i + 1] = transitionCount;
        if (retained != null) {
            retained.add(opp);
        }
        size++;
    }

    /** A column of instants with none set yet. */
    private static long[] unset(int length) {
        long[] out = new long[length];
        Arrays.fill(out, Long.MIN_VALUE);
        return out;
    }

    private void grow() {
        int cap = ids.length * 2;
        ids = Arrays.copyOf(ids, cap);
        owner = Arrays.copyOf(owner, cap);
        process = Arrays.copyOf(process, cap);
        currency = Arrays.copyOf(currency, cap);
        client = Arrays.copyOf(client, cap);
        amountMinor = Arrays.copyOf(amountMinor, cap);
        probability = Arrays.copyOf(probability, cap);
        createdNanos = Arrays.copyOf(createdNanos, cap);
        expectedCloseDay = Arrays.copyOf(expectedCloseDay, cap);
        revenueMinor = Arrays.copyOf(revenueMinor, cap);
        budgetMinor = Arrays.copyOf(budgetMinor, cap);
        forecastFlags = Arrays.copyOf(forecastFlags, cap);
        stageCode = Arrays.copyOf(stageCode, cap);
        lastChange = lastChange == null ? null : Arrays.copyOf(lastChange, cap);
        historyStart = historyStart == null ? null : Arrays.copyOf(historyStart, cap);
        closeDay = Arrays.copyOf(closeDay, cap);
        reason = Arrays.copyOf(reason, cap);
        competitor = Arrays.copyOf(competitor, cap);
        transitionStart = Arrays.copyOf(transitionStart, cap + 1);
    }

    /**
     * Ends the build: clusters the rows by owner (a stable counting sort, so insertion order
     * is kept within an owner) and trims every column to its size. A scan over one owner's
     * rows then reads contiguous memory, parallel parts can own whole owners, and the
     * doubling slack of the build (up to half of every array) is given back.
     */
    public void finish() {
        if (ownerStart != null) {
            return;
        }
        int owners = ownerDict.size();
        int[] start = new int[owners + 1];
        for (int i = 0; i < size; i++) {
            start[owner[i] + 1]++;
        }
        for (int o = 0; o < owners; o++) {
            start[o + 1] += start[o];
        }
        int[] next = Arrays.copyOf(start, owners);
        int[] to = new int[size];
        for (int i = 0; i < size; i++) {
            to[i] = next[owner[i]]++;
        }
        ids = permute(ids, to, new OpportunityId[size]);
        owner = permute(owner, to);
        process = permute(process, to);
        currency = permute(currency, to);
        client = permute(client, to);
        amountMinor = permute(amountMinor, to);
        probability = permute(probability, to);
        createdNanos = permute(createdNanos, to);
        expectedCloseDay = permute(expectedCloseDay, to);
        revenueMinor = permute(revenueMinor, to);
        budgetMinor = permute(budgetMinor, to);
        forecastFlags = permute(forecastFlags, to);
        stageCode = permute(stageCode, to);
        lastChange = lastChange == null ? null : permute(lastChange, to);
        historyStart = historyStart == null ? null : permute(historyStart, to);
        closeDay = permute(closeDay, to);
        reason = permute(reason, to);
        competitor = permute(competitor, to);
        int[] newStart = new int[size + 1];
        for (int i = 0; i < size; i++) {
            newStart[to[i] + 1] = transitionStart[i + 1] - transitionStart[i];
        }
        for (int r = 0; r < size; r++) {
            newStart[r + 1] += newStart[r];
        }
        int[] codes = new int[transitionCount];
        long[] nanosAt = new long[transitionCount];
        for (int i = 0; i < size; i++) {
            int len = transitionStart[i + 1] - transitionStart[i];
            System.arraycopy(transitionCode, transitionStart[i], codes, newStart[to[i]], len);
            System.arraycopy(transitionNanos, transitionStart[i], nanosAt, newStart[to[i]], len);
        }
        transitionStart = newStart;
        transitionCode = codes;
        transitionNanos = nanosAt;
        if (retained != null) {
            Opportunity[] kept = new Opportunity[size];
            for (int i = 0; i < size; i++) {
                kept[to[i]] = retained.get(i);
            }
            retained = List.of(kept);
        }
        ownerStart = start;
    }

    private static <T> T[] permute(T[] column, int[] to, T[] out) {
        for (int i = 0; i < out.length; i++) {
            out[to[i]] = column[i];
        }
        return out;
    }

    private static int[] permute(int[] column, int[] to) {
        int[] out = new int[to.length];
        for (int i = 0; i < to.length; i++) {
            out[to[i]] = column[i];
        }
        return out;
    }

    private static byte[] permute(byte[] column, int[] to) {
        byte[] out = new byte[to.length];
        for (int i = 0; i < to.length; i++) {
            out[to[i]] = column[i];
        }
        return out;
    }

    private static long[] permute(long[] column, int[] to) {
        long[] out = new long[to.length];
        for (int i = 0; i < to.length; i++) {
            out[to[i]] = column[i];
        }
        return out;
    }

    /**
     * The store's end states for scans of a process (derived owner by owner as scans need
     * them), or null when the process's id was first scanned with another definition (a
     * process re-defined under the same id is replayed, never read with the wrong stage order).
     *
     * @param processCode the process code in this store
     * @param process the process definition of the scan
     * @return the end states, or null
     */
    FinalStates finalStates(int processCode, org.crmkit.core.SalesProcess process) {
        if (!finalsProcess.computeIfAbsent(processCode, c -> process).equals(process)) {
            return null;
        }
        FinalStates f = finals;
        if (f == null) {
            synchronized (this) {
                f = finals;
                if (f == null) {
                    f = new FinalStates(size, transitionCount, ownerDict.size(), processDict.size());
                    finals = f;
                }
            }
        }
        return f;
    }

    /** Per process code: opportunities per owner code and the latest transition per owner code. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, long[][]> ownerCounts =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How many rows of a process and of some owners had a tracked value changed after an
     * instant: the deals a query as of it counts with today's values. Free when nothing changed
     * after it (the latest change is kept); else one pass over the owners' rows.
     *
     * @param processId the process
     * @param owners the owners
     * @param after the instant
     * @return the number of rows
     */
    public long changedAfter(ProcessId processId, java.util.Set<ManagerId> owners, java.time.Instant after) {
        long afterNanos = org.crmkit.core.StageReplay.saturatedNanos(after);
        int code = processDict.find(processId);
        if (latestValueChange <= afterNanos || code < 0) {
            return 0; // the usual "as of now": nothing changed since
        }
        long n = 0;
        for (ManagerId m : owners) {
            int o = ownerDict.find(m);
            if (o < 0) {
                continue;
            }
            for (int i = ownerStart[o]; i < ownerStart[o + 1]; i++) {
                if (process[i] == code && lastChange[i] > afterNanos) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Per owner, how many rows of a process were created by an instant although their field
     * history starts after it. Free when no history starts after it; else one pass over the rows.
     *
     * @param processId the process
     * @param asOf the instant
     * @return the counts, owners without such rows absent
     */
    public java.util.Map<ManagerId, Long> historyStartsAfter(ProcessId processId, java.time.Instant asOf) {
        long at = org.crmkit.core.StageReplay.saturatedNanos(asOf);
        int code = processDict.find(processId);
        if (latestHistoryStart <= at || code < 0) {
            return java.util.Map.of();
        }
        java.util.Map<ManagerId, Long> out = new java.util.HashMap<>();
        for (int o = 0; o + 1 < ownerStart.length; o++) {
            long n = 0;
            for (int i = ownerStart[o]; i < ownerStart[o + 1]; i++) {
                if (process[i] == code && historyStart[i] > at && createdNanos[i] <= at) {
                    n++;
                }
            }
            if (n > 0) {
                out.put(ownerDict.value(o), n);
            }
        }
        return out;
    }

    /**
     * What the store holds of a process in counts (see
     * {@code FunnelSource#summary}). The per-owner counts and latest transitions are
     * computed once per process; only the rows of owners with a transition after
     * {@code after} are read per call, so the usual call (nothing after "now") costs one pass
     * over the owners.
     *
     * @param processId the process
     * @param after the instant after which transitions count as changes
     * @return the counts
     */
    public org.crmkit.funnel.spi.PopulationSummary summary(ProcessId processId, java.time.Instant after) {
        int code = processDict.find(processId);
        if (code < 0) {
            return new org.crmkit.funnel.spi.PopulationSummary(java.util.Map.of(), java.util.Map.of(), null);
        }
        long[][] counts = ownerCounts.computeIfAbsent(code, this::countOwners);
        long afterNanos = org.crmkit.core.StageReplay.saturatedNanos(after);
        java.util.Map<ManagerId, Long> opportunities = new java.util.HashMap<>();
        java.util.Map<ManagerId, Long> changed = new java.util.HashMap<>();
        long latest = Long.MIN_VALUE;
        for (int o = 0; o < counts[0].length; o++) {
            if (counts[0][o] == 0) {
                continue;
            }
            opportunities.put(ownerDict.value(o), counts[0][o]);
            latest = Math.max(latest, counts[1][o]);
            if (counts[1][o] > afterNanos) {
                long n = 0;
                for (int i = ownerStart[o]; i < ownerStart[o + 1]; i++) {
                    if (process[i] == code && transitionNanos[transitionStart[i + 1] - 1] > afterNanos) {
                        n++;
                    }
                }
                changed.put(ownerDict.value(o), n);
            }
        }
        return new org.crmkit.funnel.spi.PopulationSummary(opportunities, changed,
                latest == Long.MIN_VALUE ? null : java.time.Instant.ofEpochSecond(Math.floorDiv(latest, 1_000_000_000L),
                        Math.floorMod(latest, 1_000_000_000L)));
    }

    private long[][] countOwners(int code) {
        long[][] out = new long[2][ownerDict.size()];
        java.util.Arrays.fill(out[1], Long.MIN_VALUE);
        for (int i = 0; i < size; i++) {
            if (process[i] == code) {
                out[0][owner[i]]++;
                out[1][owner[i]] = Math.max(out[1][owner[i]], transitionNanos[transitionStart[i + 1] - 1]);
            }
        }
        return out;
    }

    /**
     * The number of opportunities.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Whether the opportunities themselves are kept.
     *
     * @return true when retained
     */
    public boolean retains() {
        return retained != null;
    }
}
