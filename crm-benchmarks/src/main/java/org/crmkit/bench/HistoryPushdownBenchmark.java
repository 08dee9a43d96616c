package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.UnitId;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.jdbc.CrmStore;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The funnel of the company and every unit from PostgreSQL as of a past instant, when some deals
 * changed owner, amount, close date, probability or category since: the statements count every
 * other deal from its row, and the changed ones are read whole and reconstructed from their field
 * history. The book is the generated one (seed of {@link BenchData#generator}) with
 * {@link #changedPercent} per cent of its deals given up to 4 random field changes (seed 2026) in
 * the 30 days before now, loaded through the store (maintained aggregates on, as by default).
 * Same-run baselines: the same funnels as of now (nothing to reconstruct), and what a caller
 * would do otherwise: stream the whole book out and build the columns of the book as it was
 * ({@link OpportunityColumns#asOf}). Each call is one shot: no result is cached between calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class HistoryPushdownBenchmark {
    /** Opportunities in the store. */
    @Param({"1000000"})
    public int rows;

    /** Per cent of the deals with field changes in the 30 days before now. */
    @Param({"10"})
    public int changedPercent;

    private DatasetGenerator gen;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private FunnelQuery now;
    private FunnelQuery past;
    private Instant monthAgo;
    private List<UnitId> units;

    /** Starts PostgreSQL and loads the book with its histories through the store. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        gen = BenchData.generator(rows);
        postgres = EmbeddedPostgres.builder().start();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(postgres.getJdbcUrl("postgres", "postgres"));
        store = CrmStore.builder().dataSource(ds).build();
        gen.processes().forEach(store.processes()::save);
        store.orgStructure().save(gen.orgStructure());
        Instant asOf = gen.asOf();
        monthAgo = asOf.minus(Duration.ofDays(30));
        List<ManagerId> managers = new ArrayList<>(BenchData.managerIndex(gen).keySet());
        Random r = new Random(2026);
        long started = System.nanoTime();
        long changed = 0;
        int batch = 10_000;
        for (long from = 0; from < rows; from += batch) {
            List<Opportunity> part = new ArrayList<>(batch);
            for (Opportunity o : gen.opportunities(from, Math.min(rows, from + batch)).toList()) {
                if (r.nextInt(100) < changedPercent && o.createdAt().isBefore(asOf)) {
                    Instant earliest = o.createdAt().isAfter(monthAgo) ? o.createdAt() : monthAgo;
                    o = FieldHistories.withRandomChanges(o, r, earliest, asOf, 4, managers);
                }
                changed += o.changes().isEmpty() ? 0 : 1;
                part.add(o);
            }
            store.opportunities().insertAll(part);
        }
        System.out.printf("# loaded %d opportunities (%d with field changes since %s) in %d ms%n", rows, changed,
                monthAgo, (System.nanoTime() - started) / 1_000_000);
        now = BenchData.companyQuery(gen);
        past = now.toBuilder().asOf(monthAgo).build();
        units = BenchData.units(gen.orgStructure());
    }

    /** Closes the store and stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        store.close();
        postgres.close();
    }

    /**
     * As of a month ago: the deals changed since reconstructed, every other one counted in SQL.
     *
     * @return the funnels of the company and every unit
     */
    @Benchmark
    public List<FunnelResult> pastAllUnits() {
        return List.copyOf(BenchData.engine(gen, store).funnels(past, units).values());
    }

    /**
     * Baseline: the same funnels as of now (no deal to reconstruct).
     *
     * @return the funnels of the company and every unit
     */
    @Benchmark
    public List<FunnelResult> nowAllUnits() {
        return List.copyOf(BenchData.engine(gen, store).funnels(now, units).values());
    }

    /**
     * Baseline: the whole book streamed out of the store into the columns of the book as it was
     * a month ago, then the same funnels from them.
     *
     * @return the funnels of the company and every unit
     */
    @Benchmark
    public List<FunnelResult> streamedAsOfAllUnits() {
        OpportunityColumns columns;
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            columns = OpportunityColumns.asOf(all, monthAgo);
        }
        return List.copyOf(BenchData.engine(gen, columns).funnels(past, units).values());
    }
}
