package org.crmkit.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.PipelineChanges;
import org.crmkit.forecast.PipelineWaterfall;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.FieldHistories;
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
 * The pipeline waterfall of the company and of every unit for the current quarter between the
 * quarter's start and now, over a generated book whose deals each carry up to 8 random field
 * changes (amount, close date, probability, category, owner) in the quarter: end to end (the
 * reconstruction of every deal at both instants, then every waterfall), the reconstruction
 * alone, and the waterfalls of one reconstruction. The same-run baseline is the forecast
 * snapshot of the book as it is now (what a dashboard computes anyway), so the cost of the
 * history is read as a multiple of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+AlwaysPreTouch"})
public class PipelineChangesBenchmark {
    /** Opportunities of every status. */
    @Param({"1000000"})
    public int rows;

    private DatasetGenerator gen;
    private ForecastEngine engine;
    private List<Opportunity> opportunities;
    private List<OrgNodeId> nodes;
    private Period quarter;
    private Instant from;
    private Instant to;
    private PipelineChanges changes;
    private long changeCount;

    /** Generates the book and its histories (seed 2026) and reconstructs it once. */
    @Setup(Level.Trial)
    public void setUp() {
        gen = BenchData.generator(rows);
        ForecastConfig config = ForecastConfig.builder(gen.config().calendar(), gen.config().reportingCurrency())
                .build();
        engine = ForecastEngine.builder(config)
                .exchangeRates(gen.exchangeRates())
                .processes(gen.processes())
                .clock(Clock.fixed(gen.asOf(), ZoneOffset.UTC))
                .build();
        quarter = gen.config().calendar().periodOf(PeriodType.QUARTER, gen.config().asOfDate());
        to = gen.asOf();
        from = quarter.start().atStartOfDay(gen.config().zone()).toInstant();
        if (!from.isBefore(to)) {
            from = to.minus(Duration.ofDays(30));
        }
        List<ManagerId> managers = new ArrayList<>(BenchData.managerIndex(gen).keySet());
        Random r = new Random(2026);
        List<Opportunity> book = new ArrayList<>(rows);
        Instant start = from;
        gen.opportunities().forEach(o -> book.add(FieldHistories.withRandomChanges(o, r,
                o.createdAt().isAfter(start) ? o.createdAt() : start, to, 8, managers)));
        opportunities = book;
        changeCount = book.stream().mapToLong(o -> o.changes().size()).sum();
        nodes = new ArrayList<>(BenchData.units(gen.orgStructure()));
        changes = PipelineChanges.between(engine, opportunities, from, to);
        System.out.println("# " + rows + " opportunities, " + changeCount + " field changes, " + nodes.size()
                + " units, quarter " + quarter + ", from " + from + " to " + to);
    }

    /**
     * End to end: every deal reconstructed at both instants, then the waterfall of every unit.
     *
     * @return the waterfalls
     */
    @Benchmark
    public Map<OrgNodeId, PipelineWaterfall> betweenAndEveryWaterfall() {
        return PipelineChanges.between(engine, opportunities, from, to).waterfalls(gen.orgStructure(), nodes,
                quarter);
    }

    /**
     * The reconstruction alone.
     *
     * @return the changes
     */
    @Benchmark
    public PipelineChanges between() {
        return PipelineChanges.between(engine, opportunities, from, to);
    }

    /**
     * The waterfall of every unit from one reconstruction.
     *
     * @return the waterfalls
     */
    @Benchmark
    public Map<OrgNodeId, PipelineWaterfall> everyWaterfall() {
        return changes.waterfalls(gen.orgStructure(), nodes, quarter);
    }

    /**
     * Baseline: the forecast snapshot of the book as it is now.
     *
     * @return the snapshot
     */
    @Benchmark
    public ForecastSnapshot snapshotNow() {
        return engine.snapshot(opportunities, gen.config().asOfDate());
    }

    /**
     * The book of the benchmark.
     *
     * @return the opportunities with their histories
     */
    List<Opportunity> opportunities() {
        return opportunities;
    }

    /**
     * How many field changes the book holds.
     *
     * @return the changes
     */
    long changeCount() {
        return changeCount;
    }
}
