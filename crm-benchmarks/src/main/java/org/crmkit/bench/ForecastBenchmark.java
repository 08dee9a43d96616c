package org.crmkit.bench;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.NodeForecast;
import org.crmkit.forecast.RevenueDistribution;
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
 * The quarter forecast with roll-ups over the whole org tree, and the P10/P50/P90 revenue
 * distribution of open opportunities (all of them open), against primitive loops doing the
 * bare arithmetic in the same run: the weighted sum per owner and quarter, and a Monte Carlo
 * with the same number of trials over {@code double} arrays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class ForecastBenchmark {
    /** Open opportunities. */
    @Param({"100000"})
    public int rows;

    private DatasetGenerator gen;
    private ForecastEngine engine;
    private List<Opportunity> opportunities;
    private LocalDate asOf;
    private ForecastSnapshot snapshot;
    private Period horizon;
    private int trials;
    private int[] owner;
    private int[] quarter;
    private long[] amount;
    private int[] probability;
    private double[] amountD;
    private double[] probabilityD;
    private int[][] unitMembers;

    /** Generates the open opportunities and the primitive columns of the baselines. */
    @Setup(Level.Trial)
    public void setUp() {
        gen = BenchData.openOnlyGenerator(rows);
        ForecastConfig config = ForecastConfig.builder(gen.config().calendar(), gen.config().reportingCurrency())
                .build();
        trials = config.monteCarloTrials();
        asOf = gen.config().asOfDate();
        engine = ForecastEngine.builder(config)
                .exchangeRates(gen.exchangeRates())
                .processes(gen.processes())
                .clock(Clock.fixed(gen.asOf(), ZoneOffset.UTC))
                .build();
        opportunities = gen.opportunities().toList();
        snapshot = engine.snapshot(opportunities, asOf);
        Period current = gen.config().calendar().periodOf(PeriodType.QUARTER, asOf);
        Period next = gen.config().calendar().next(current);
        // open deals are overdue (moved to the current quarter) or expected up to a quarter on
        horizon = Period.inclusive(current.start(), next.end().minusDays(1));
        Map<ManagerId, Integer> index = BenchData.managerIndex(gen);
        owner = new int[rows];
        quarter = new int[rows];
        amount = new long[rows];
        probability = new int[rows];
        amountD = new double[rows];
        probabilityD = new double[rows];
        for (int i = 0; i < rows; i++) {
            Opportunity o = opportunities.get(i);
            owner[i] = index.get(o.owner());
            LocalDate d = o.expectedCloseDate().isBefore(asOf) ? asOf : o.expectedCloseDate();
            quarter[i] = d.getYear() * 4 + (d.getMonthValue() - 1) / 3 - 2026 * 4 + 1;
            amount[i] = BenchData.amountMinor(o);
            probability[i] = o.probability();
            amountD[i] = amount[i] / 100.0;
            probabilityD[i] = o.probability() / 100.0;
        }
        unitMembers = BenchData.memberIndexes(gen, BenchData.units(gen.orgStructure()));
        System.out.println("# distribution: " + describe());
    }

    /**
     * Classifies the opportunities and rolls the quarter forecast up the whole tree.
     *
     * @return the roll-up tree
     */
    @Benchmark
    public NodeForecast snapshotAndRollUp() {
        return engine.snapshot(opportunities, asOf).rollUp(gen.orgStructure(), UnitId.of("company"), List.of());
    }

    /**
     * The roll-up of an existing snapshot.
     *
     * @return the roll-up tree
     */
    @Benchmark
    public NodeForecast rollUp() {
        return snapshot.rollUp(gen.orgStructure(), UnitId.of("company"), List.of());
    }

    /**
     * Baseline: weighted amount per owner and quarter in one primitive loop, then per unit.
     *
     * @return weighted sums per unit and quarter
     */
    @Benchmark
    public long[][] primitiveWeightedRollUp() {
        int quarters = 12;
        long[] sums = new long[BenchData.MANAGERS * quarters];
        for (int i = 0; i < owner.length; i++) {
            sums[owner[i] * quarters + quarter[i]] += amount[i] * probability[i];
        }
        long[][] out = new long[unitMembers.length][quarters];
        for (int u = 0; u < unitMembers.length; u++) {
            for (int m : unitMembers[u]) {
                for (int q = 0; q < quarters; q++) {
                    out[u][q] += sums[m * quarters + q];
                }
            }
        }
        return out;
    }

    /**
     * The P10/P50/P90 distribution of every open opportunity (over the two quarters they
     * fall in) from an existing snapshot.
     *
     * @return the distribution
     */
    @Benchmark
    public RevenueDistribution distribution() {
        return snapshot.distribution(horizon);
    }

    /**
     * Classification plus distribution: the end-to-end time for a caller holding the opportunities.
     *
     * @return the distribution
     */
    @Benchmark
    public RevenueDistribution snapshotAndDistribution() {
        return engine.snapshot(opportunities, asOf).distribution(horizon);
    }

    /**
     * Baseline: the same number of Monte Carlo trials over {@code double} arrays, sorted for
     * the percentiles.
     *
     * @return P10, P50 and P90
     */
    @Benchmark
    public double[] primitiveMonteCarlo() {
        SplittableRandom random = new SplittableRandom(2026);
        double[] sums = new double[trials];
        for (int t = 0; t < trials; t++) {
            double s = 0;
            for (int i = 0; i < amountD.length; i++) {
                if (random.nextDouble() < probabilityD[i]) {
                    s += amountD[i];
                }
            }
            sums[t] = s;
        }
        Arrays.sort(sums);
        return new double[] {sums[trials / 10], sums[trials / 2], sums[trials * 9 / 10]};
    }

    /**
     * The open opportunities of the benchmark.
     *
     * @return the opportunities
     */
    List<Opportunity> opportunities() {
        return opportunities;
    }

    /**
     * The distribution's method and size, for the report.
     *
     * @return a one-line description
     */
    String describe() {
        RevenueDistribution d = snapshot.distribution(horizon);
        return d.method() + " over " + d.opportunities() + " open deals, " + d.trials() + " trials";
    }

}
