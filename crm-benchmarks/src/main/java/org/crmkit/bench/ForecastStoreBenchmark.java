package org.crmkit.bench;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.jdbc.CrmStore;
import org.crmkit.testkit.DatasetGenerator;
import org.h2.jdbcx.JdbcDataSource;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The quarter forecast of the company with the roll-up over every unit, its categories, and
 * P10/P50/P90 of the company and every unit, from a source's per-owner aggregates: the store
 * grouping in SQL ({@code postgres}, {@code h2}) or the in-memory columns ({@code columns});
 * against the baseline of the same run, every opportunity streamed out of the store into the
 * engine's collection path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class ForecastStoreBenchmark {
    /** Where the opportunities are: postgres, h2 or columns. */
    @Param({"postgres"})
    public String source;

    /** Opportunities held. */
    @Param({"1000000"})
    public int rows;

    /**
     * The config's {@code drawLimit}: the most open deals a node's distribution draws one by
     * one; -1 keeps the config's default.
     */
    @Param({"-1"})
    public int drawLimit;

    private DatasetGenerator gen;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private ForecastSource forecastSource;
    private ForecastEngine engine;
    private LocalDate asOf;
    private Period quarter;
    private List<UnitId> units;

    /** Loads the generated opportunities into the source. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        gen = BenchData.generator(rows);
        if ("columns".equals(source)) {
            forecastSource = OpportunityColumns.of(gen.opportunities());
        } else {
            if ("postgres".equals(source)) {
                postgres = EmbeddedPostgres.builder().start();
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setURL(postgres.getJdbcUrl("postgres", "postgres"));
                store = CrmStore.builder().dataSource(ds).build();
            } else if ("h2".equals(source)) {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL("jdbc:h2:mem:forecast;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0");
                store = CrmStore.builder().dataSource(ds).build();
            } else {
                throw new IllegalArgumentException("source must be postgres, h2 or columns, not " + source);
            }
            long start = System.nanoTime();
            gen.loadInto(store, 10_000);
            System.out.printf("# loaded %d opportunities into %s in %d ms%n", rows, source,
                    (System.nanoTime() - start) / 1_000_000);
            forecastSource = store;
        }
        ForecastConfig.Builder builder = ForecastConfig.builder(gen.config().calendar(),
                gen.config().reportingCurrency()).periodType(PeriodType.QUARTER);
        if (drawLimit >= 0) {
            builder.drawLimit(drawLimit);
        }
        ForecastConfig config = builder.build();
        engine = ForecastEngine.builder(config).exchangeRates(gen.exchangeRates()).processes(gen.processes())
                .clock(Clock.fixed(gen.asOf(), ZoneOffset.UTC)).build();
        asOf = gen.config().asOfDate();
        quarter = gen.config().calendar().periodOf(PeriodType.QUARTER, asOf);
        units = BenchData.units(gen.orgStructure());
    }

    /** Closes the store and stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * The quarter asked of the source (a window of one quarter), rolled up over every unit, with
     * the distribution of the company and every unit.
     *
     * @return the company's distribution and the roll-up
     */
    @Benchmark
    public List<Object> fromAggregates() {
        return forecast(engine.snapshot(forecastSource, asOf, quarter));
    }

    /**
     * The source's part alone: the per-owner aggregate of the quarter (for a store, the one
     * grouped SQL query), without the engine.
     *
     * @return the aggregate
     */
    @Benchmark
    public OwnerAggregates<ForecastStats> aggregateOnly() {
        return forecastSource.forecast(ForecastQuery.of(asOf, gen.config().reportingCurrency(),
                gen.config().calendar().zone()).withWindow(quarter));
    }

    /**
     * Baseline: every opportunity streamed out of the store, then the same forecast on the
     * collection.
     *
     * @return the company's distribution and the roll-up
     */
    @Benchmark
    public List<Object> streamedOpportunities() {
        if (store == null) {
            throw new IllegalStateException("the streamed baseline needs a store (postgres or h2)");
        }
        List<Opportunity> all;
        try (Stream<Opportunity> s = store.opportunities().stream(OpportunityQuery.all())) {
            all = s.toList();
        }
        // the same window on the collection (through the reference source), so both answer the same question
        return forecast(engine.snapshot(ForecastReference.source(all), asOf, quarter));
    }

    private List<Object> forecast(ForecastSnapshot s) {
        List<Object> out = new ArrayList<>();
        UnitId company = UnitId.of("company");
        out.add(s.rollUp(gen.orgStructure(), company, List.of()));
        // the company and every unit (the list starts with the company), small ones drawn from one drill-down
        out.add(s.distributions(gen.orgStructure(), units, quarter));
        return out;
    }
}
