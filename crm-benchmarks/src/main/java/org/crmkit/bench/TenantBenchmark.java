package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.crmkit.core.Opportunity;
import org.crmkit.core.TenantId;
import org.crmkit.core.UnitId;
import org.crmkit.core.Viewer;
import org.crmkit.core.Visibility;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.core.spi.VisibleStorage;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
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

/**
 * What tenants and visibility cost (issue #19): the same book in the default tenant of a
 * database ({@code plain*}, the baseline) and in a named tenant of the same database, asked by
 * a viewer ({@code scoped*}: on PostgreSQL every connection runs {@code SET ROLE} and sets the
 * search path when taken and resets both when given back; the viewer, the head of the company
 * by "unit and below", sees every owner, so every question goes through the narrowing with an
 * explicit owner set and the result is the same). Measured: the dashboard question (the company
 * and every unit, from the maintained aggregates) and one opportunity updated, through the
 * tenant's store and through the viewer's store view (which first reads the deal's owner, to
 * refuse a hidden one). On PostgreSQL the stores share a HikariCP pool of four connections, as an
 * application would ({@code dedicated*}: the tenant through a pool of its own whose sessions start
 * as its role, so nothing is done per borrow).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class TenantBenchmark {
    /** The database: postgres or h2 (in memory). */
    @Param({"postgres"})
    public String db;

    /** Opportunities in each of the two tenants. */
    @Param({"200000"})
    public int rows;

    private EmbeddedPostgres postgres;
    private com.zaxxer.hikari.HikariDataSource hikari;
    private com.zaxxer.hikari.HikariDataSource dedicatedPool;
    private CrmStore dedicated;
    private DatasetGenerator gen;
    private CrmStore plain;
    private CrmStore scoped;
    private Visibility viewer;
    private OpportunityRepository viewed;
    private FunnelQuery company;
    private List<UnitId> units;
    private Opportunity[] plainCurrent;
    private Opportunity[] scopedCurrent;
    private final Random random = new Random(20261203L);

    /** Starts the database and loads the same book into the default tenant and into tenant "acme". */
    @Setup(Level.Trial)
    public void load() throws IOException {
        DataSource ds;
        if ("postgres".equals(db)) {
            postgres = EmbeddedPostgres.builder().start();
            // a pool, as in production: without one every borrow is a new backend (several ms),
            // which would hide what a tenant adds to a borrow
            com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
            pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            pool.setMaximumPoolSize(4);
            hikari = new com.zaxxer.hikari.HikariDataSource(pool);
            ds = hikari;
        } else if ("h2".equals(db)) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:tenants;DB_CLOSE_DELAY=-1");
            ds = h2;
        } else {
            throw new IllegalArgumentException("db must be postgres or h2, not " + db);
        }
        gen = BenchData.generator(rows);
        company = BenchData.companyQuery(gen);
        units = BenchData.units(gen.orgStructure());
        plain = CrmStore.builder().dataSource(ds).build();
        scoped = CrmStore.builder().dataSource(ds).tenant(TenantId.of("acme")).build();
        for (CrmStore s : new CrmStore[] {plain, scoped}) {
            long start = System.nanoTime();
            gen.loadInto(s, 100_000);
            s.compactAggregates();
            System.out.printf("# loaded %d opportunities into tenant %s in %d ms%n", rows, s.tenant(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        if (postgres != null) {
            // the loads leave work to autovacuum, which would otherwise run during the measurement
            try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE");
                st.execute("CHECKPOINT");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("vacuuming after the load", e);
            }
        }
        if (postgres != null) {
            // the same tenant through a pool of its own, whose sessions start as its role
            com.zaxxer.hikari.HikariConfig own = new com.zaxxer.hikari.HikariConfig();
            own.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres")
                    + "&options=-c%20role%3Dcrm_tenant_acme%20-c%20search_path%3Dcrm_tenant_acme");
            own.setMaximumPoolSize(4);
            dedicatedPool = new com.zaxxer.hikari.HikariDataSource(own);
            dedicated = CrmStore.builder().dataSource(dedicatedPool).tenant(TenantId.of("acme")).build();
        } else {
            dedicated = scoped;
        }
        viewer = Visibility.of(Viewer.unitAndBelow(UnitId.of("company")), gen.orgStructure());
        viewed = VisibleStorage.of(scoped, viewer).opportunities();
        List<Opportunity> book = gen.opportunities().map(o -> o.toBuilder().version(1).build()).toList();
        plainCurrent = book.toArray(Opportunity[]::new);
        scopedCurrent = book.toArray(Opportunity[]::new);
        if (!plainAllUnits().equals(scopedAllUnits())) {
            throw new IllegalStateException("the tenant's funnels differ from the default tenant's");
        }
    }

    /** Closes the stores and stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        plain.close();
        scoped.close();
        dedicated.close();
        if (dedicatedPool != null) {
            dedicatedPool.close();
        }
        if (hikari != null) {
            hikari.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Baseline: the company and every unit of the default tenant, no viewer.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> plainAllUnits() {
        return List.copyOf(BenchData.engine(gen, plain).funnels(company, units).values());
    }

    /**
     * The same funnels of tenant "acme", asked by the company head's viewer.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> scopedAllUnits() {
        return List.copyOf(BenchData.builder(gen, scoped, true).visibility(viewer).build().funnels(company, units)
                .values());
    }

    /**
     * The same funnels of tenant "acme" through its dedicated pool, asked by the viewer.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> dedicatedAllUnits() {
        return List.copyOf(BenchData.builder(gen, dedicated, true).visibility(viewer).build().funnels(company, units)
                .values());
    }

    /**
     * One opportunity of tenant "acme" updated through its dedicated pool.
     *
     * @return the new version
     */
    @Benchmark
    public long dedicatedUpdate() {
        return update(dedicated.opportunities(), scopedCurrent);
    }

    /**
     * The split of {@link #scopedAllUnits}: tenant "acme" without a viewer.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> tenantOnlyAllUnits() {
        return List.copyOf(BenchData.engine(gen, scoped).funnels(company, units).values());
    }

    /**
     * The split of {@link #scopedAllUnits}: the default tenant, asked by the viewer.
     *
     * @return the funnels
     */
    @Benchmark
    public List<FunnelResult> viewerOnlyAllUnits() {
        return List.copyOf(BenchData.builder(gen, plain, true).visibility(viewer).build().funnels(company, units)
                .values());
    }

    /**
     * Baseline: one opportunity of the default tenant updated (one transaction).
     *
     * @return the new version
     */
    @Benchmark
    public long plainUpdate() {
        return update(plain.opportunities(), plainCurrent);
    }

    /**
     * One opportunity of tenant "acme" updated through the tenant's store.
     *
     * @return the new version
     */
    @Benchmark
    public long scopedUpdate() {
        return update(scoped.opportunities(), scopedCurrent);
    }

    /**
     * One opportunity of tenant "acme" updated through the viewer's store view.
     *
     * @return the new version
     */
    @Benchmark
    public long scopedViewerUpdate() {
        return update(viewed, scopedCurrent);
    }

    private long update(OpportunityRepository repo, Opportunity[] current) {
        int i = random.nextInt(current.length);
        Opportunity o = current[i];
        Opportunity stored = repo.update(o.toBuilder().title(o.title().length() > 80 ? "Deal" : o.title() + "+").build());
        current[i] = stored;
        return stored.version();
    }
}
