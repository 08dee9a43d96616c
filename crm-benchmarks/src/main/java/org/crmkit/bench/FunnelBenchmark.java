package org.crmkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.testkit.DatasetGenerator;
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
 * The in-memory funnel of the whole company and of every unit (126 roll-ups: company, 5
 * departments, 20 divisions, 100 groups; 2,000 managers) against two baselines in the same
 * run: a straightforward {@code Collectors.groupingBy} over the opportunity objects, and the
 * bare primitive group-by loop over columns filled from the same opportunities.
 *
 * <p>The engine streams the generated opportunities into {@link OpportunityColumns} (never
 * holding them all as objects). The groupingBy baseline needs the objects, so it holds at
 * most {@code objectRows} of them (the first ones of the same dataset); compare per-row
 * times for it when {@code rows > objectRows}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class FunnelBenchmark {
    /** Opportunities in the dataset. */
    @Param({"1000000", "10000000"})
    public int rows;

    /** The most opportunity objects the groupingBy baseline holds. */
    @Param({"1000000"})
    public int objectRows;

    private DatasetGenerator gen;
    private FunnelEngine engine;
    private FunnelEngine engineOneThread;
    private FunnelEngine delegating;
    private FunnelQuery company;
    private List<UnitId> units;
    private BenchData.PrimitiveColumns primitive;
    private int[][] unitMembers;
    private List<Opportunity> objects;
    private SalesProcess process;
    private int openStages;

    /** Generates the dataset once per trial: columns for the engine, primitives, objects. */
    @Setup(Level.Trial)
    public void setUp() {
        gen = BenchData.generator(rows);
        process = gen.process();
        openStages = process.openStageCount();
        primitive = new BenchData.PrimitiveColumns(gen, rows);
        OpportunityColumns columns = OpportunityColumns.of(gen.opportunities().peek(primitive));
        engine = BenchData.engine(gen, columns);
        engineOneThread = BenchData.engine(gen, columns.withParallelThreshold(Integer.MAX_VALUE), false);
        delegating = BenchData.engine(gen, BenchData.delegating(columns));
        company = BenchData.companyQuery(gen);
        units = BenchData.units(gen.orgStructure());
        unitMembers = BenchData.memberIndexes(gen, units);
        objects = BenchData.generator(rows).opportunities().limit(Math.min(rows, objectRows)).toList();
    }

    /**
     * The company funnel: one parallel scan of the columns and the funnel figures.
     *
     * @return the result
     */
    @Benchmark
    public FunnelResult engineCompany() {
        return engine.funnel(company);
    }

    /**
     * The funnel of the company and of every unit ({@link FunnelEngine#funnels}): one parallel
     * pass over the columns sums each owner's figures into dense arrays (one {@code FunnelStats}
     * per owner), then each node's funnel is the sum of its distinct members' stats.
     *
     * @return the results
     */
    @Benchmark
    public List<FunnelResult> engineAllUnits() {
        return List.copyOf(engine.funnels(company, units).values());
    }

    /**
     * As {@link #engineAllUnits()} on one thread (the per-core figure).
     *
     * @return the results
     */
    @Benchmark
    public List<FunnelResult> engineAllUnitsOneThread() {
        return List.copyOf(engineOneThread.funnels(company, units).values());
    }

    /**
     * As {@link #engineAllUnits()} through a plain delegating {@code FunnelSource} around the
     * columns (what a user's own source costs): the engine rolls every source up the same way.
     *
     * @return the results
     */
    @Benchmark
    public List<FunnelResult> delegatingAllUnits() {
        return List.copyOf(delegating.funnels(company, units).values());
    }

    /**
     * Baseline: {@code groupingBy(owner, groupingBy(reached stage, summarizingLong(amount)))}
     * over opportunity objects, then each node's reached counts and amounts from its members.
     *
     * @return reached counts and amounts per node and stage
     */
    @Benchmark
    public long[][] groupingByAllUnits() {
        Map<ManagerId, Map<Integer, LongSummaryStatistics>> byOwner = objects.stream()
                .collect(Collectors.groupingBy(Opportunity::owner,
                        Collectors.groupingBy(o -> BenchData.reachedLevel(o, process, openStages),
                                Collectors.summarizingLong(BenchData::amountMinor))));
        long[][] out = new long[units.size()][2 * openStages];
        for (int n = 0; n < units.size(); n++) {
            for (ManagerId m : gen.orgStructure().membersOf(units.get(n))) {
                Map<Integer, LongSummaryStatistics> levels = byOwner.get(m);
                if (levels == null) {
                    continue;
                }
                for (Map.Entry<Integer, LongSummaryStatistics> e : levels.entrySet()) {
                    for (int s = 0; s <= Math.min(e.getKey(), openStages - 1); s++) {
                        out[n][s] += e.getValue().getCount();
                        out[n][openStages + s] += e.getValue().getSum();
                    }
                }
            }
        }
        return out;
    }

    /**
     * Floor: count and sum by (owner, reached level) in one primitive loop, then each node's
     * reached counts and amounts from its members.
     *
     * @return reached counts and amounts per node and stage
     */
    @Benchmark
    public long[][] primitiveAllUnits() {
        int levels = openStages + 1;
        int[] owner = primitive.owner;
        byte[] level = primitive.level;
        long[] amount = primitive.amount;
        long[] counts = new long[BenchData.MANAGERS * levels];
        long[] sums = new long[BenchData.MANAGERS * levels];
        int n = primitive.size();
        for (int i = 0; i < n; i++) {
            int g = owner[i] * levels + level[i];
            counts[g]++;
            sums[g] += amount[i];
        }
        long[][] out = new long[unitMembers.length][2 * openStages];
        for (int u = 0; u < unitMembers.length; u++) {
            long[] row = out[u];
            for (int m : unitMembers[u]) {
                long c = 0;
                long a = 0;
                // reached(s) = number whose level is >= s: accumulate from the top level down
                for (int l = levels - 1; l >= 0; l--) {
                    c += counts[m * levels + l];
                    a += sums[m * levels + l];
                    if (l < openStages) {
                        row[l] += c;
                        row[openStages + l] += a;
                    }
                }
            }
        }
        return out;
    }
}
