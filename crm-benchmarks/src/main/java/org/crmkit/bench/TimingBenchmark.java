package org.crmkit.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.MeasuredForecast;
import org.crmkit.forecast.PeriodForecast;
import org.crmkit.forecast.TimeToCloseModel;
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
 * The measured timing model over closed and open deals held in memory (the generator's 25 %
 * won, 35 % lost, 40 % open), and the expected revenue per month of the company and all 125
 * units from it; baselines in the same run: one pass reading every stage transition (the floor
 * of anything that reads the history) and the close-date forecast of the same nodes
 * ({@code ForecastEngine.snapshot} + a month's figures per node).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class TimingBenchmark {
    /** Opportunities, closed and open. */
    @Param({"1000000"})
    public int rows;

    private DatasetGenerator gen;
    private List<Opportunity> opportunities;
    private List<UnitId> units;
    private ForecastEngine engine;
    private TimeToCloseModel model;
    private Instant asOf;

    /** Generates the opportunities and fits the model once for the forecast benchmark. */
    @Setup(Level.Trial)
    public void setUp() {
        gen = BenchData.generator(rows);
        opportunities = gen.opportunities().toList();
        units = BenchData.units(gen.orgStructure());
        asOf = gen.asOf();
        engine = ForecastEngine.builder(ForecastConfig.builder(gen.config().calendar(),
                gen.config().reportingCurrency()).periodType(org.crmkit.core.PeriodType.MONTH).build())
                .exchangeRates(gen.exchangeRates()).processes(gen.processes()).build();
        model = fit();
    }

    /**
     * The timing model: every stage entry of every deal as an episode, Aalen–Johansen per stage.
     *
     * @return the model
     */
    @Benchmark
    public TimeToCloseModel fit() {
        return TimeToCloseModel.fit(gen.config().zone(), asOf, gen.processes(), opportunities);
    }

    /**
     * The timing model pooled by manager, then department, then process.
     *
     * @return the model
     */
    @Benchmark
    public TimeToCloseModel fitByManagerAndDepartment() {
        return TimeToCloseModel.builder(gen.config().zone(), asOf, gen.processes()).byManager()
                .byUnits(gen.orgStructure(), gen.orgStructure().childUnitsOf(UnitId.of("company")))
                .addAll(opportunities).build();
    }

    /**
     * Expected revenue per month (12 months) of the company and all units by the fitted model.
     *
     * @return the forecasts
     */
    @Benchmark
    public Map<OrgNodeId, MeasuredForecast> expectedRevenueAllUnits() {
        return engine.timingForecast(model, opportunities, 12).forecasts(gen.orgStructure(), units);
    }

    /**
     * Baseline: the close-date forecast of the same deals and nodes (snapshot, then the current
     * month's figures of every node).
     *
     * @return the company's month
     */
    @Benchmark
    public BigDecimal closeDateAllUnits() {
        ForecastSnapshot s = engine.snapshot(opportunities, gen.config().asOfDate());
        org.crmkit.core.Period month = gen.config().calendar().periodOf(org.crmkit.core.PeriodType.MONTH,
                gen.config().asOfDate());
        BigDecimal company = null;
        for (UnitId u : units) {
            PeriodForecast p = s.periodForecast(gen.orgStructure(), u, month);
            company = company == null ? p.weightedOpen() : company;
        }
        return company;
    }

    /**
     * Baseline: one pass over every stage transition, summing their epoch seconds.
     *
     * @return the sum
     */
    @Benchmark
    public long readEveryTransition() {
        long sum = 0;
        for (Opportunity o : opportunities) {
            for (StageTransition t : o.transitions()) {
                sum += t.at().getEpochSecond();
            }
        }
        return sum;
    }

    List<Opportunity> opportunities() {
        return opportunities;
    }
}
