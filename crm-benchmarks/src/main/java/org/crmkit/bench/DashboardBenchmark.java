package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.AnswerPath;
import org.crmkit.funnel.spi.FunnelSource;
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
 * The dashboard question, the funnel of the company and of every unit as of now, on a store
 * that holds the book: answered from the aggregates the store maintained while the book was
 * loaded ({@code maintained*}), against the grouped scan of the same database in the same run
 * ({@code scanned*}: a second handle on the same data that does not use them). Both go through
 * {@code FunnelEngine.funnels}, so the roll-up over the org is in both. With {@code memory}, the
 * in-memory columns: their kept end states (warm; the first, cold answer is printed) against a
 * scan of the same population (a creation bound before every creation, which the kept end states
 * do not answer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class DashboardBenchmark {
    /** The store: postgres, h2, or memory (the in-memory columns). */
    @Param({"postgres", "h2", "memory"})
    public String db;

    /** Opportunities in the store. */
    @Param({"1000000"})
    public int rows;

    private DatasetGenerator gen;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private CrmStore scanning;
    private FunnelSource maintainedSource;
    private FunnelSource scanningSource;
    private FunnelQuery company;
    private List<UnitId> units;

    /** Starts the database and loads the book through a maintaining store. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        gen = BenchData.generator(rows);
        company = BenchData.companyQuery(gen);
        units = BenchData.units(gen.orgStructure());
        if ("memory".equals(db)) {
            long start = System.nanoTime();
            OpportunityColumns columns = OpportunityColumns.of(gen.opportunities());
            System.out.printf("# built the columns of %d opportunities in %d ms%n", rows,
                    (System.nanoTime() - start) / 1_000_000);
            maintainedSource = columns;
            // the same population by a scan: a creation bound before every creation, which the
            // kept end states do not answer
            scanningSource = new FunnelSource() {
                @Override
                public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
                    return columns.aggregate(query.toBuilder().created(BEFORE_EVERY_CREATION, null).build());
                }

                @Override
                public java.util.stream.Stream<org.crmkit.core.OpportunityId> ids(AggregateQuery query,
                        org.crmkit.funnel.FunnelMeasure measure, int stage) {
                    return columns.ids(query, measure, stage);
                }

                @Override
                public java.util.Optional<org.crmkit.funnel.spi.PopulationSummary> summary(
                        org.crmkit.core.SalesProcess process, java.time.Instant after) {
                    return columns.summary(process, after);
                }
            };
            long cold = System.nanoTime();
            maintainedAllUnits();
            System.out.printf("# first (cold) maintained answer, the end-state scan included: %d ms%n",
                    (System.nanoTime() - cold) / 1_000_000);
            check();
            return;
        }
        DataSource ds;
        if ("postgres".equals(db)) {
            postgres = EmbeddedPostgres.builder().start();
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(postgres.getJdbcUrl("postgres", "postgres"));
            ds = pg;
        } else if ("h2".equals(db)) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:dashboard;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0");
            ds = h2;
        } else {
            throw new IllegalArgumentException("db must be postgres or h2, not " + db);
        }
        store = CrmStore.builder().dataSource(ds).build();
        long start = System.nanoTime();
        gen.loadInto(store, 100_000);
        long loaded = System.nanoTime();
        long folded = store.compactAggregates();
        System.out.printf("# loaded %d opportunities into %s in %d ms (maintaining), compacted %d deltas in %d ms%n",
                rows, db, (loaded - start) / 1_000_000, folded, (System.nanoTime() - loaded) / 1_000_000);
        scanning = CrmStore.builder().dataSource(ds).maintainAggregates(false).build();
        maintainedSource = store;
        scanningSource = scanning;
        check();
    }

    private static final java.time.Instant BEFORE_EVERY_CREATION = java.time.Instant.parse("1900-01-01T00:00:00Z");

    /** Both contenders give the same funnels, each by its own path. */
    private void check() {
        FunnelResult kept = maintainedAllUnits().get(0);
        FunnelResult scanned = scannedAllUnits().get(0);
        if (kept.answeredBy() != AnswerPath.MAINTAINED || scanned.answeredBy() != AnswerPath.SCAN
                || !kept.withAnsweredBy(AnswerPath.SCAN).equals(scanned)) {
            throw new IllegalStateException("the maintained answer " + kept.answeredBy() + " differs from the scan's "
                    + scanned.answeredBy());
        }
    }

    /** Closes the stores and stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (store != null) {
            store.close();
            scanning.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * The company and every unit from the maintained aggregates.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> maintainedAllUnits() {
        return List.copyOf(BenchData.engine(gen, maintainedSource).funnels(company, units).values());
    }

    /**
     * Baseline: the same funnels from the grouped scan of the same database.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> scannedAllUnits() {
        return List.copyOf(BenchData.engine(gen, scanningSource).funnels(company, units).values());
    }
}
