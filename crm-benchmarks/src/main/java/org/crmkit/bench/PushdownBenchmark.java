package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.UnitId;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.spi.PopulationSummary;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
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
 * The funnel of the company and of every unit answered by the database: the store as the
 * engine's {@code FunnelSource} groups per owner in SQL (a few rows per owner); against
 * streaming every opportunity out of the same store into the engine's columns and scanning
 * them, in the same run. Both answer the company and every unit with
 * {@link FunnelEngine#funnels}: the per-owner stats are fetched once and summed per node. The
 * store does not maintain aggregates here, so every answer is the grouped scan
 * ({@link DashboardBenchmark} measures the maintained ones).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class PushdownBenchmark {
    /** The database: h2 or postgres. */
    @Param({"postgres", "h2"})
    public String db;

    /** Opportunities in the store. */
    @Param({"1000000"})
    public int rows;

    /**
     * Whether to run {@code ANALYZE} after the load (PostgreSQL plans the pushed-down query
     * badly until the tables have statistics; the store does not analyze after a bulk insert).
     */
    @Param({"false"})
    public boolean analyze;

    private DatasetGenerator gen;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private FunnelQuery company;
    private List<UnitId> units;

    /** Starts the database and loads the generated opportunities through the store. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        gen = BenchData.generator(rows);
        if ("postgres".equals(db)) {
            postgres = EmbeddedPostgres.builder().start();
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(postgres.getJdbcUrl("postgres", "postgres"));
            store = CrmStore.builder().dataSource(ds).maintainAggregates(false).build();
        } else if ("h2".equals(db)) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:pushdown;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0");
            store = CrmStore.builder().dataSource(ds).maintainAggregates(false).build();
        } else {
            throw new IllegalArgumentException("db must be h2 or postgres, not " + db);
        }
        long start = System.nanoTime();
        gen.loadInto(store, 10_000);
        System.out.printf("# loaded %d opportunities into %s in %d ms%n", rows, db,
                (System.nanoTime() - start) / 1_000_000);
        if (analyze) {
            try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            } catch (SQLException e) {
                throw new IllegalStateException("ANALYZE failed", e);
            }
        }
        company = BenchData.companyQuery(gen);
        units = BenchData.units(gen.orgStructure());
    }

    /** Closes the store and stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        store.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * The database derives each opportunity's cell columns; the company's cells are fetched once
     * and each node's funnel summed from its owners' cells.
     *
     * @return the funnels of the company and every unit
     */
    @Benchmark
    public List<FunnelResult> pushedDownAllUnits() {
        return rollUp(BenchData.engine(gen, store));
    }

    /**
     * Baseline: every opportunity streamed out of the store into columns, then scanned.
     *
     * @return the funnels of the company and every unit
     */
    @Benchmark
    public List<FunnelResult> streamedRowsAllUnits() {
        OpportunityColumns columns;
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            columns = OpportunityColumns.of(all);
        }
        return rollUp(BenchData.engine(gen, columns));
    }

    /**
     * The company's per-owner stats alone from the database, without the roll-up both
     * contenders share.
     *
     * @return the stats per owner
     */
    @Benchmark
    public OwnerAggregates<FunnelStats> pushedDownCompanyStats() {
        return BenchData.engine(gen, store).aggregates(company);
    }

    /**
     * Baseline of {@link #pushedDownCompanyStats}: every opportunity streamed into columns,
     * then the company's per-owner stats scanned from them.
     *
     * @return the stats per owner
     */
    @Benchmark
    public OwnerAggregates<FunnelStats> streamedRowsCompanyStats() {
        OpportunityColumns columns;
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            columns = OpportunityColumns.of(all);
        }
        return BenchData.engine(gen, columns).aggregates(company);
    }

    /**
     * What the funnel of a whole org (a root unit) or one "as of now" adds on the store: the
     * counts per owner and of changes after an instant ({@code FunnelSource.summary}), so
     * owners outside the org and changes after now are reported instead of dropped.
     *
     * @return the summary
     */
    @Benchmark
    public Optional<PopulationSummary> storeSummary() {
        return store.summary(company.process(), company.asOf());
    }

    /** The company and every unit through {@link FunnelEngine#funnels}: one fetch, a roll-up per node. */
    private List<FunnelResult> rollUp(FunnelEngine engine) {
        return List.copyOf(engine.funnels(company, units).values());
    }
}
