package org.crmkit.funnel.internal;

import java.util.Arrays;

/**
 * A mutable open-addressing hash table of cells with packed primitive keys and measures in
 * parallel arrays: adding an opportunity allocates nothing unless the table or a histogram
 * grows. One per scanning thread.
 *
 * <p>Key: {@code width} longs per cell. Measures: count, amount, weighted amount
 * (× percent), revenue, cycle count, cycle seconds, and a dense day histogram of cycles.
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
    long[][] cycleDays;
    private int[] order;

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
        cycleDays = new long[capacity][];
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
        int day = Math.toIntExact(seconds / 86_400L);
        long[] h = cycleDays[slot];
        if (h == null || h.length <= day) {
            h = h == null ? new long[Math.max(64, day + 1)] : Arrays.copyOf(h, Math.max(h.length * 2, day + 1));
            cycleDays[slot] = h;
        }
        h[day]++;
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
        long[][] ocd = cycleDays;
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
            cycleDays[s] = ocd[o];
        }
    }
}
