package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageHistory;
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
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Bulk import of generated opportunities into H2 (in memory) and PostgreSQL (embedded,
 * started in the trial state) through {@code CrmStore.opportunities().insertAll}, against
 * plain JDBC batch inserts (PostgreSQL with {@code reWriteBatchedInserts=true}) and, on
 * PostgreSQL, {@code COPY FROM STDIN}, in the same run. Each iteration writes every row into a
 * fresh, empty schema. The baselines write a 14-column summary row per opportunity; the store
 * writes its full row (about 40 columns) plus one row per stage transition and step, so the
 * store does more work per opportunity.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class ImportBenchmark {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String PLAIN_COLUMNS = "id, title, client_id, owner_id, process_id, stage, status, probability,"
            + " currency, amount_minor, created_s, expected_close_date, furthest_open_index, entered_mask";
    private static final String PLAIN_TABLE = "CREATE TABLE bench_opp (id VARCHAR(64) NOT NULL PRIMARY KEY,"
            + " title VARCHAR(400) NOT NULL, client_id VARCHAR(64) NOT NULL, owner_id VARCHAR(64) NOT NULL,"
            + " process_id VARCHAR(64) NOT NULL, stage VARCHAR(64) NOT NULL, status VARCHAR(4) NOT NULL,"
            + " probability INTEGER NOT NULL, currency CHAR(3) NOT NULL, amount_minor BIGINT,"
            + " created_s BIGINT NOT NULL, expected_close_date DATE NOT NULL, furthest_open_index INTEGER NOT NULL,"
            + " entered_mask BIGINT NOT NULL)";

    /** The database: h2 or postgres. */
    @Param({"h2", "postgres"})
    public String db;

    /** Opportunities imported per iteration. */
    @Param({"100000"})
    public int rows;

    /**
     * Whether the store maintains the funnel aggregates (the default): one delta per owner,
     * process and creation month of each batch, in the batch's transaction.
     */
    @Param({"true", "false"})
    public boolean maintain;

    private DatasetGenerator gen;
    private List<Opportunity> opportunities;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private DataSource plain;

    /** Generates the opportunities and starts PostgreSQL when asked. */
    @Setup(Level.Trial)
    public void startDatabase() throws IOException {
        gen = BenchData.generator(rows);
        opportunities = gen.opportunities().toList();
        if ("postgres".equals(db)) {
            postgres = EmbeddedPostgres.builder().start();
        } else if (!"h2".equals(db)) {
            throw new IllegalArgumentException("db must be h2 or postgres, not " + db);
        }
    }

    /** Creates an empty store and an empty plain table for the next iteration. */
    @Setup(Level.Iteration)
    public void freshSchema() throws SQLException {
        String name = "bench" + SCHEMAS.incrementAndGet();
        DataSource ds;
        if (postgres != null) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + name);
            }
            String url = postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + name;
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            ds = pg;
            PGSimpleDataSource batched = new PGSimpleDataSource();
            batched.setURL(url);
            batched.setReWriteBatchedInserts(true);
            plain = batched;
        } else {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0");
            ds = h2;
            plain = h2;
        }
        store = CrmStore.builder().dataSource(ds).maintainAggregates(maintain).build();
        store.processes().save(gen.process());
        store.orgStructure().save(gen.orgStructure());
        try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
            s.execute(PLAIN_TABLE);
        }
    }

    /** Drops the iteration's database objects. */
    @TearDown(Level.Iteration)
    public void dropSchema() throws SQLException {
        store.close();
        try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
            if (postgres != null) {
                s.execute("DROP SCHEMA " + c.getSchema() + " CASCADE");
            } else {
                s.execute("SHUTDOWN");
            }
        }
    }

    /** Stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * The SDK: every opportunity, whole, in one transaction.
     *
     * @return the number of rows written
     */
    @Benchmark
    public long crmStoreInsertAll() {
        return store.opportunities().insertAll(opportunities);
    }

    /**
     * Baseline: one prepared insert of a summary row, batched by 1,000, one transaction.
     *
     * @return the number of rows written
     * @throws SQLException on a database error
     */
    @Benchmark
    public long jdbcBatchInsert() throws SQLException {
        SalesProcess process = gen.process();
        try (Connection c = plain.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO bench_opp (" + PLAIN_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            int pending = 0;
            for (Opportunity o : opportunities) {
                ps.setString(1, o.id().value());
                ps.setString(2, o.title());
                ps.setString(3, o.client().orElseThrow().id().value());
                ps.setString(4, o.owner().value());
                ps.setString(5, o.processId().value());
                ps.setString(6, o.stage());
                ps.setString(7, o.status().name());
                ps.setInt(8, o.probability());
                ps.setString(9, o.currency().getCurrencyCode());
                ps.setLong(10, BenchData.amountMinor(o));
                ps.setLong(11, o.createdAt().getEpochSecond());
                ps.setDate(12, Date.valueOf(o.expectedCloseDate()));
                ps.setInt(13, StageHistory.furthestOpenStage(o, process));
                ps.setLong(14, StageHistory.enteredOpenStages(o, process));
                ps.addBatch();
                if (++pending == 1_000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
            c.commit();
        }
        return opportunities.size();
    }

    /**
     * Baseline (PostgreSQL only): the summary rows as CSV through {@code COPY FROM STDIN}.
     *
     * @return the number of rows written
     * @throws SQLException on a database error
     * @throws IOException when the CSV cannot be read
     */
    @Benchmark
    public long pgCopy() throws SQLException, IOException {
        if (postgres == null) {
            throw new UnsupportedOperationException("COPY is PostgreSQL only: run pgCopy with -p db=postgres");
        }
        SalesProcess process = gen.process();
        try (Connection c = plain.getConnection()) {
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder csv = new StringBuilder(1 << 20);
            long n = 0;
            for (Opportunity o : opportunities) {
                csv.append(o.id().value()).append(',');
                quote(csv, o.title()).append(',');
                csv.append(o.client().orElseThrow().id().value()).append(',').append(o.owner().value()).append(',')
                        .append(o.processId().value()).append(',');
                quote(csv, o.stage()).append(',');
                csv.append(o.status().name()).append(',').append(o.probability()).append(',')
                        .append(o.currency().getCurrencyCode()).append(',').append(BenchData.amountMinor(o)).append(',')
                        .append(o.createdAt().getEpochSecond()).append(',').append(o.expectedCloseDate()).append(',')
                        .append(StageHistory.furthestOpenStage(o, process)).append(',')
                        .append(StageHistory.enteredOpenStages(o, process)).append('\n');
                if (csv.length() >= 1 << 20) {
                    n += copy.copyIn("COPY bench_opp (" + PLAIN_COLUMNS + ") FROM STDIN (FORMAT csv)",
                            new StringReader(csv.toString()));
                    csv.setLength(0);
                }
            }
            n += copy.copyIn("COPY bench_opp (" + PLAIN_COLUMNS + ") FROM STDIN (FORMAT csv)",
                    new StringReader(csv.toString()));
            c.commit();
            return n;
        }
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                sb.append('"');
            }
            sb.append(ch);
        }
        return sb.append('"');
    }
}
