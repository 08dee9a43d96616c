package org.crmkit.funnel.internal;

import java.util.Arrays;

/**
 * A mutable open-addressing hash table of cells with packed primitive keys and measures in
 * parallel arrays: adding an opportunity allocates nothing unless the table or a histogram
 * grows. One per scanning thread.
 *
 * <p>Key: {@code width} longs per cell. Measures: count, amount, weighted amount
 * (× percent), revenue, cycle count, cycle seconds, and a day histogram of cycles. The
 * histogram is allocated only for cells that have a duration, held sparse (unsorted
 * (day, count) pairs) while it has few distinct days and dense (counts indexed by day) beyond.
 */
final class CellTable {
    private final int width;
    private long[] keys;
    private boolean[] used;
    private int mask;
    private int size;
    long[] count;
    long[] amount;
    long[] weighted;
    long[] revenue;
    long[] cycleCount;
    long[] cycleSeconds;
    /** Sparse histograms: distinct days, their counts and how many are used. */
    private int[][] sparseDays;
    private long[][] sparseCounts;
    private int[] sparseSize;
    /** Dense histograms (counts indexed by day) of the cells with many distinct days. */
    private long[][] denseDays;
    private int[] order;

    /** Distinct days from which a histogram turns dense (when its days are small enough). */
    private static final int SPARSE_LIMIT = 16;
    /** The largest day held densely; beyond it a histogram stays sparse. */
    private static final int DENSE_MAX_DAY = 1 << 16;

    CellTable(int width) {
        this.width = width;
        allocate(64);
    }

    private void allocate(int capacity) {
        keys = new long[capacity * width];
        used = new boolean[capacity];
        mask = capacity - 1;
        count = new long[capacity];
        amount = new long[capacity];
        weighted = new long[capacity];
        revenue = new long[capacity];
        cycleCount = new long[capacity];
        cycleSeconds = new long[capacity];
        sparseDays = new int[capacity][];
        sparseCounts = new long[capacity][];
        sparseSize = new int[capacity];
        denseDays = new long[capacity][];
        order = new int[capacity];
        size = 0;
    }

    int size() {
        return size;
    }

    /** The slot of the {@code i}-th inserted cell. */
    int slotAt(int i) {
        return order[i];
    }

    long key(int slot, int part) {
        return keys[slot * width + part];
    }

    /** The slot of a key, inserting it when new. Keys are passed in the scratch array. */
    int slot(long[] key) {
        if (size * 2 >= used.length) {
            rehash();
        }
        long h = 0;
        for (int p = 0; p < width; p++) {
            h = (h + key[p]) * 0x9E3779B97F4A7C15L;
        }
        int s = (int) (h ^ (h >>> 29)) & mask;
        while (used[s]) {
            if (equalsAt(s, key)) {
                return s;
            }
            s = (s + 1) & mask;
        }
        used[s] = true;
        System.arraycopy(key, 0, keys, s * width, width);
        order[size++] = s;
        return s;
    }

    private boolean equalsAt(int s, long[] key) {
        int base = s * width;
        for (int p = 0; p < width; p++) {
            if (keys[base + p] != key[p]) {
                return false;
            }
        }
        return true;
    }

    void addCycle(int slot, long seconds) {
        cycleCount[slot]++;
        cycleSeconds[slot] = Math.addExact(cycleSeconds[slot], seconds);
        addDays(slot, Math.toIntExact(seconds / 86_400L), 1);
    }

    /** Adds {@code n} observations of {@code day} days to the histogram of a slot. */
    private void addDays(int slot, int day, long n) {
        long[] dense = denseDays[slot];
        if (dense != null && day < dense.length) {
            dense[day] = Math.addExact(dense[day], n);
            return;
        }
        if (dense != null) {
            if (day <= DENSE_MAX_DAY) {
                dense = Arrays.copyOf(dense, Math.max(dense.length * 2, day + 1));
                denseDays[slot] = dense;
                dense[day] = n;
                return;
            }
            toSparse(slot);
        }
        int[] ds = sparseDays[slot];
        int size = sparseSize[slot];
        for (int i = 0; i < size; i++) {
            if (ds[i] == day) {
                sparseCounts[slot][i] = Math.addExact(sparseCounts[slot][i], n);
                return;
            }
        }
        if (ds == null) {
            ds = new int[2];
            sparseDays[slot] = ds;
            sparseCounts[slot] = new long[2];
        } else if (size == ds.length) {
            if (size >= SPARSE_LIMIT && toDense(slot, day)) {
                addDays(slot, day, n);
                return;
            }
            ds = Arrays.copyOf(ds, size * 2);
            sparseDays[slot] = ds;
            sparseCounts[slot] = Arrays.copyOf(sparseCounts[slot], size * 2);
        }
        ds[size] = day;
        sparseCounts[slot][size] = n;
        sparseSize[slot] = size + 1;
    }

    /** Turns a sparse histogram dense when all its days (and {@code day}) are small enough. */
    private boolean toDense(int slot, int day) {
        int max = day;
        int size = sparseSize[slot];
        int[] ds = sparseDays[slot];
        for (int i = 0; i < size; i++) {
            max = Math.max(max, ds[i]);
        }
        if (max > DENSE_MAX_DAY) {
            return false;
        }
        long[] dense = new long[Math.max(64, max + 1)];
        for (int i = 0; i < size; i++) {
            dense[ds[i]] = sparseCounts[slot][i];
        }
        denseDays[slot] = dense;
        sparseDays[slot] = null;
        sparseCounts[slot] = null;
        sparseSize[slot] = 0;
        return true;
    }

    private void toSparse(int slot) {
        long[] dense = denseDays[slot];
        denseDays[slot] = null;
        int n = 0;
        for (long c : dense) {
            if (c != 0) {
                n++;
            }
        }
        int[] ds = new int[Math.max(2, n * 2)];
        long[] cs = new long[ds.length];
        int m = 0;
        for (int d = 0; d < dense.length; d++) {
            if (dense[d] != 0) {
                ds[m] = d;
                cs[m++] = dense[d];
            }
        }
        sparseDays[slot] = ds;
        sparseCounts[slot] = cs;
        sparseSize[slot] = m;
    }

    /** Whether the slot's histogram is dense (then {@link #dense} holds it). */
    boolean isDense(int slot) {
        return denseDays[slot] != null;
    }

    long[] dense(int slot) {
        return denseDays[slot];
    }

    /** The sparse histogram of a slot as (days ascending, counts), for a slot that is not dense. */
    void sortedSparse(int slot, int[] daysOut, long[] countsOut) {
        int size = sparseSize[slot];
        int[] ds = sparseDays[slot];
        long[] cs = sparseCounts[slot];
        // insertion sort: at most SPARSE_LIMIT entries in the usual case
        for (int i = 0; i < size; i++) {
            int d = ds[i];
            long c = cs[i];
            int j = i - 1;
            while (j >= 0 && daysOut[j] > d) {
                daysOut[j + 1] = daysOut[j];
                countsOut[j + 1] = countsOut[j];
                j--;
            }
            daysOut[j + 1] = d;
            countsOut[j + 1] = c;
        }
    }

    int sparseSize(int slot) {
        return sparseSize[slot];
    }

    /**
     * Adds every cell of another table of the same width (the per-thread tables of a
     * parallel scan), so parts combine in primitive form before any object is built.
     */
    void addAll(CellTable other) {
        long[] k = new long[width];
        for (int i = 0; i < other.size; i++) {
            int o = other.order[i];
            System.arraycopy(other.keys, o * width, k, 0, width);
            int s = slot(k);
            count[s] = Math.addExact(count[s], other.count[o]);
            amount[s] = Math.addExact(amount[s], other.amount[o]);
            weighted[s] = Math.addExact(weighted[s], other.weighted[o]);
            revenue[s] = Math.addExact(revenue[s], other.revenue[o]);
            cycleCount[s] = Math.addExact(cycleCount[s], other.cycleCount[o]);
            cycleSeconds[s] = Math.addExact(cycleSeconds[s], other.cycleSeconds[o]);
            long[] dense = other.denseDays[o];
            if (dense != null) {
                for (int d = 0; d < dense.length; d++) {
                    if (dense[d] != 0) {
                        addDays(s, d, dense[d]);
                    }
                }
            } else {
                for (int j = 0; j < other.sparseSize[o]; j++) {
                    addDays(s, other.sparseDays[o][j], other.sparseCounts[o][j]);
                }
            }
        }
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldOrder = order;
        int oldSize = size;
        long[] oc = count;
        long[] oa = amount;
        long[] ow = weighted;
        long[] or = revenue;
        long[] occ = cycleCount;
        long[] ocs = cycleSeconds;
        int[][] osd = sparseDays;
        long[][] osc = sparseCounts;
        int[] oss = sparseSize;
        long[][] odd = denseDays;
        allocate(used.length * 2);
        long[] k = new long[width];
        for (int i = 0; i < oldSize; i++) {
            int o = oldOrder[i];
            System.arraycopy(oldKeys, o * width, k, 0, width);
            int s = slot(k);
            count[s] = oc[o];
            amount[s] = oa[o];
            weighted[s] = ow[o];
            revenue[s] = or[o];
            cycleCount[s] = occ[o];
            cycleSeconds[s] = ocs[o];
            sparseDays[s] = osd[o];
            sparseCounts[s] = osc[o];
            sparseSize[s] = oss[o];
            denseDays[s] = odd[o];
        }
    }
}
