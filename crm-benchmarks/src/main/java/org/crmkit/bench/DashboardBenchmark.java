package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.spi.AnswerPath;
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
 * {@code FunnelEngine.funnels}, so the roll-up over the org is in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class DashboardBenchmark {
    /** The database: postgres or h2. */
    @Param({"postgres", "h2"})
    public String db;

    /** Opportunities in the store. */
    @Param({"1000000"})
    public int rows;

    private DatasetGenerator gen;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private CrmStore scanning;
    private FunnelQuery company;
    private List<UnitId> units;

    /** Starts the database and loads the book through a maintaining store. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        gen = BenchData.generator(rows);
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
        gen.loadInto(store, 10_000);
        long loaded = System.nanoTime();
        long folded = store.compactAggregates();
        System.out.printf("# loaded %d opportunities into %s in %d ms (maintaining), compacted %d deltas in %d ms%n",
                rows, db, (loaded - start) / 1_000_000, folded, (System.nanoTime() - loaded) / 1_000_000);
        scanning = CrmStore.builder().dataSource(ds).maintainAggregates(false).build();
        company = BenchData.companyQuery(gen);
        units = BenchData.units(gen.orgStructure());
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
        store.close();
        scanning.close();
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
        return List.copyOf(BenchData.engine(gen, store).funnels(company, units).values());
    }

    /**
     * Baseline: the same funnels from the grouped scan of the same database.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> scannedAllUnits() {
        return List.copyOf(BenchData.engine(gen, scanning).funnels(company, units).values());
    }
}
