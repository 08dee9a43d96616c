package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.UpsertMode;
import org.crmkit.core.spi.UpsertResult;
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
 * A store that already holds the book, read and synced (issue #15): {@code streamAll} streams
 * every opportunity back as objects, {@code streamScope} the deals of a tenth of the managers;
 * {@code rawRead} is the same-run baseline, the same nine ordered selects read column by column
 * with the same fetch size and no object built, i.e. what the schema allows. {@code upsertSync}
 * writes a nightly sync batch of {@code batch} opportunities, of which a tenth changed, a
 * twentieth are new and the rest are as stored ({@link UpsertMode#SOURCE_WINS}); its baseline
 * {@code insertAllNew} loads the same number of new opportunities. Every iteration changes the
 * same tenth again (a new title each time) and adds new ids, so the store grows by the new ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class SyncBenchmark {
    /** The database: postgres or h2. */
    @Param({"postgres", "h2"})
    public String db;

    /** Opportunities in the store before the first iteration. */
    @Param({"1000000"})
    public int rows;

    /** Opportunities per sync batch (and per baseline load). */
    @Param({"100000"})
    public int batch;

    private DatasetGenerator gen;
    private EmbeddedPostgres postgres;
    private DataSource ds;
    private CrmStore store;
    private List<Opportunity> sample;
    private Set<ManagerId> tenthOfTheManagers;
    private int iteration;

    /** Starts the database and loads the book. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        gen = BenchData.generator(rows);
        if ("postgres".equals(db)) {
            postgres = EmbeddedPostgres.builder().start();
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(postgres.getJdbcUrl("postgres", "postgres"));
            ds = pg;
        } else if ("h2".equals(db)) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:sync;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0");
            ds = h2;
        } else {
            throw new IllegalArgumentException("db must be postgres or h2, not " + db);
        }
        store = CrmStore.builder().dataSource(ds).build();
        long start = System.nanoTime();
        gen.loadInto(store, 100_000);
        System.out.printf("# loaded %d opportunities into %s in %d ms%n", rows, db,
                (System.nanoTime() - start) / 1_000_000);
        // the sync touches every (rows / batch)-th stored opportunity, as generated (= as stored)
        int every = Math.max(1, rows / batch);
        sample = new ArrayList<>(batch);
        try (Stream<Opportunity> all = gen.opportunities()) {
            all.forEach(o -> {
                if (sample.size() < batch && Math.floorMod(o.id().value().hashCode(), every) == 0) {
                    sample.add(o);
                }
            });
        }
        tenthOfTheManagers = new java.util.HashSet<>();
        gen.orgStructure().managers().stream().map(org.crmkit.core.Manager::id).sorted().limit(Math.max(1,
                gen.orgStructure().managers().size() / 10)).forEach(tenthOfTheManagers::add);
    }

    /** Closes the store and stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        store.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The next iteration's batches differ from the last one's. */
    @Setup(Level.Iteration)
    public void nextIteration() {
        iteration++;
    }

    /**
     * The sync batch of this iteration: the sample, every tenth retitled, plus new opportunities
     * (a twentieth of the batch) taking the sample's content under fresh ids.
     */
    private List<Opportunity> syncBatch() {
        List<Opportunity> out = new ArrayList<>(sample.size() + sample.size() / 20);
        for (int i = 0; i < sample.size(); i++) {
            Opportunity o = sample.get(i);
            out.add(i % 10 == 0 ? o.toBuilder().title(o.title() + " (sync " + iteration + ")").build() : o);
            if (i % 20 == 0) {
                out.add(o.toBuilder().id("sync-" + iteration + "-" + o.id().value()).build());
            }
        }
        return out;
    }

    /**
     * The SDK: one sync batch through {@code upsertAll}.
     *
     * @return the outcome
     */
    @Benchmark
    public UpsertResult upsertSync() {
        UpsertResult r = store.opportunities().upsertAll(syncBatch(), UpsertMode.SOURCE_WINS);
        if (r.updated() != (sample.size() + 9) / 10 || r.inserted() != (sample.size() + 19) / 20) {
            throw new IllegalStateException("unexpected sync outcome " + r);
        }
        return r;
    }

    /**
     * Baseline: as many new opportunities as a sync batch holds, through {@code insertAll}.
     *
     * @return how many were stored
     */
    @Benchmark
    public long insertAllNew() {
        List<Opportunity> fresh = new ArrayList<>(sample.size());
        for (Opportunity o : sample) {
            fresh.add(o.toBuilder().id("load-" + iteration + "-" + o.id().value()).build());
        }
        return store.opportunities().insertAll(fresh);
    }

    /**
     * Every stored opportunity, streamed back as objects.
     *
     * @return how many were read
     */
    @Benchmark
    public long streamAll() {
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            return all.count();
        }
    }

    /**
     * The opportunities of a tenth of the managers, streamed back as objects.
     *
     * @return how many were read
     */
    @Benchmark
    public long streamScope() {
        try (Stream<Opportunity> some = store.opportunities().stream(OpportunityQuery.ownedBy(tenthOfTheManagers))) {
            return some.count();
        }
    }

    /**
     * Baseline: the rows {@code streamAll} reads, by the same nine ordered selects in one
     * repeatable-read transaction with the store's fetch size, every column read and none
     * turned into an object.
     *
     * @return how many values were read
     * @throws SQLException on a database error
     */
    @Benchmark
    public long rawRead() throws SQLException {
        String[] tables = {"crm_opportunity", "crm_opp_competitor", "crm_opp_participant", "crm_opp_lead",
            "crm_opp_product_line", "crm_opp_history", "crm_opp_transition", "crm_opp_step", "crm_opp_change"};
        long values = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            List<PreparedStatement> open = new ArrayList<>();
            List<ResultSet> results = new ArrayList<>();
            try {
                for (String t : tables) {
                    PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t
                            + (t.equals("crm_opportunity") ? " ORDER BY id" : " ORDER BY opp_id, pos"));
                    ps.setFetchSize(1_000);
                    open.add(ps);
                    results.add(ps.executeQuery());
                }
                // read in step, as the store's cursor does: a fetch of each in turn
                boolean any = true;
                while (any) {
                    any = false;
                    for (ResultSet rs : results) {
                        int cols = rs.getMetaData().getColumnCount();
                        for (int k = 0; k < 1_000 && rs.next(); k++) {
                            any = true;
                            for (int col = 1; col <= cols; col++) {
                                if (rs.getString(col) != null) {
                                    values++;
                                }
                            }
                        }
                    }
                }
            } finally {
                for (PreparedStatement ps : open) {
                    ps.close();
                }
                c.commit();
            }
        }
        return values;
    }
}
