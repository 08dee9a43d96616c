package org.crmkit.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor every aggregation is compared with: count and sum of minor units grouped by
 * (owner, stage) over primitive columns in one loop. DESIGN.md measured ≈ 25 ms for 10M rows
 * on this machine; engines report their time as a ratio to this loop in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class PrimitiveGroupByBenchmark {
    /** Number of rows. */
    @Param({"1000000"})
    public int rows;

    /** Number of distinct owners. */
    @Param({"1000"})
    public int owners;

    private static final int STAGES = 7;

    private int[] owner;
    private byte[] stage;
    private long[] amount;

    /** Fills the columns with seeded random values. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        owner = new int[rows];
        stage = new byte[rows];
        amount = new long[rows];
        for (int i = 0; i < rows; i++) {
            owner[i] = random.nextInt(owners);
            stage[i] = (byte) random.nextInt(STAGES);
            amount[i] = random.nextLong(10_000_000L);
        }
    }

    /**
     * Count and sum per (owner, stage) in one pass.
     *
     * @return the sum over all groups, so the work cannot be optimised away
     */
    @Benchmark
    public long countAndSum() {
        long[] counts = new long[owners * STAGES];
        long[] sums = new long[owners * STAGES];
        for (int i = 0; i < rows; i++) {
            int g = owner[i] * STAGES + stage[i];
            counts[g]++;
            sums[g] += amount[i];
        }
        long total = 0;
        for (int g = 0; g < counts.length; g++) {
            total += counts[g] + sums[g];
        }
        return total;
    }
}
