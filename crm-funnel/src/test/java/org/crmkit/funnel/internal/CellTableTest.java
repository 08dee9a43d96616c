package org.crmkit.funnel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CellTableTest {

    /** Adds random cycles (few or many distinct days, some beyond the dense range) to random keys. */
    private static void fill(CellTable t, Map<Long, TreeMap<Integer, Long>> ref, Random r, int rows, int keys,
            int maxDay) {
        long[] key = new long[1];
        for (int i = 0; i < rows; i++) {
            key[0] = r.nextInt(keys);
            int day = r.nextInt(10) == 0 ? r.nextInt(200_000) : r.nextInt(maxDay);
            t.addCycle(t.slot(key), day * 86_400L + r.nextInt(86_400));
            ref.computeIfAbsent(key[0], k -> new TreeMap<>()).merge(day, 1L, Long::sum);
        }
    }

    private static Map<Long, TreeMap<Integer, Long>> histograms(CellTable t) {
        Map<Long, TreeMap<Integer, Long>> out = new java.util.HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            int s = t.slotAt(i);
            TreeMap<Integer, Long> h = new TreeMap<>();
            if (t.isDense(s)) {
                long[] d = t.dense(s);
                for (int day = 0; day < d.length; day++) {
                    if (d[day] != 0) {
                        h.put(day, d[day]);
                    }
                }
            } else {
                int n = t.sparseSize(s);
                int[] days = new int[n];
                long[] counts = new long[n];
                t.sortedSparse(s, days, counts);
                for (int j = 0; j < n; j++) {
                    assertThat(j == 0 || days[j - 1] < days[j]).isTrue();
                    h.put(days[j], counts[j]);
                }
            }
            out.put(t.key(s, 0), h);
        }
        return out;
    }

    @Test
    void histogramsHoldEveryCycleWhetherSparseOrDense() {
        qt().withExamples(60).forAll(longs().all(), integers().between(0, 3000), integers().between(1, 200))
                .checkAssert((seed, rows, maxDay) -> {
                    Random r = new Random(seed);
                    int keys = 1 + r.nextInt(40);
                    CellTable t = new CellTable(1);
                    Map<Long, TreeMap<Integer, Long>> ref = new java.util.HashMap<>();
                    fill(t, ref, r, rows, keys, maxDay);
                    assertThat(histograms(t)).isEqualTo(ref);
                });
    }

    @Test
    void addAllEqualsAddingEveryRowToOneTable() {
        qt().withExamples(60).forAll(longs().all(), integers().between(0, 2000), integers().between(1, 200))
                .checkAssert((seed, rows, maxDay) -> {
                    Random r = new Random(seed);
                    int keys = 1 + r.nextInt(60);
                    CellTable a = new CellTable(1);
                    CellTable b = new CellTable(1);
                    Map<Long, TreeMap<Integer, Long>> ref = new java.util.HashMap<>();
                    fill(a, ref, r, rows, keys, maxDay);
                    fill(b, ref, r, rows / 2, keys, maxDay);
                    a.addAll(b);
                    assertThat(histograms(a)).isEqualTo(ref);
                    long total = 0;
                    for (int i = 0; i < a.size(); i++) {
                        total += a.cycleCount[a.slotAt(i)];
                    }
                    assertThat(total).isEqualTo(rows + rows / 2);
                });
    }
}
