package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.jdbc.CrmStore;
import org.crmkit.testkit.DatasetGenerator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Loads generated opportunities in batches into one growing PostgreSQL store (embedded) with
 * {@code insertAll} and prints the time and rate of every batch; after each batch, as the
 * same-run baseline, a bare {@code COPY} of exactly the rows the store wrote for that batch
 * (read back with {@code COPY ... TO STDOUT}) into tables of the same columns without keys,
 * indexes or triggers; at the end, streaming the whole store back. A main class rather than
 * JMH: a batch into a growing store is a different measurement each time, so single timed
 * runs in order are the result.
 *
 * <p>{@code java -Xms4g -Xmx4g -cp crm-benchmarks/target/benchmarks.jar org.crmkit.bench.GrowingImport 100000 20}
 * (batch size, number of batches; 100 batches for 10M, about 90 bytes of disk per row); a third
 * argument {@code false} loads with {@code maintainAggregates(false)}, the baseline of what keeping
 * the maintained aggregates costs a growing store.
 */
public final class GrowingImport {
    private static final List<String> TABLES = List.of("crm_opportunity", "crm_opp_competitor",
            "crm_opp_participant", "crm_opp_lead", "crm_opp_product_line", "crm_opp_history",
            "crm_opp_transition", "crm_opp_step");

    private GrowingImport() {
    }

    /**
     * Runs the load.
     *
     * @param args batch size, number of batches, and optionally whether to maintain the aggregates
     *     (default true)
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        int batch = Integer.parseInt(args[0]);
        int batches = Integer.parseInt(args[1]);
        boolean maintain = args.length < 3 || Boolean.parseBoolean(args[2]);
        DatasetGenerator gen = BenchData.generator((long) batch * batches);
        Path dir = Files.createTempDirectory("crmkit-growing-import");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .setServerConfig("max_wal_size", "4GB").start()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(pg.getJdbcUrl("postgres", "postgres"));
            try (CrmStore store = CrmStore.builder().dataSource(ds).maintainAggregates(maintain).build();
                    Connection bare = ds.getConnection()) {
                store.processes().save(gen.process());
                store.orgStructure().save(gen.orgStructure());
                try (Statement s = bare.createStatement()) {
                    s.execute("CREATE SCHEMA bare");
                    for (String t : TABLES) {
                        s.execute("CREATE TABLE bare." + t + " (LIKE public." + t + ")");
                    }
                }
                CopyManager copy = bare.unwrap(PGConnection.class).getCopyAPI();
                double storeSeconds = 0;
                double bareSeconds = 0;
                System.out.println("batch,stored_before,insertAll_s,opp_per_s,bare_copy_s,bare_opp_per_s,ratio");
                for (int b = 0; b < batches; b++) {
                    List<Opportunity> list = gen.opportunities((long) b * batch, (long) (b + 1) * batch).toList();
                    long t0 = System.nanoTime();
                    store.opportunities().insertAll(list);
                    double s = (System.nanoTime() - t0) / 1e9;
                    double c = bareCopy(bare, copy, list.get(0).id().value(), list.get(list.size() - 1).id().value());
                    storeSeconds += s;
                    bareSeconds += c;
                    System.out.printf("%d,%d,%.2f,%.0f,%.2f,%.0f,%.2f%n", b, (long) b * batch, s, batch / s, c,
                            batch / c, s / c);
                }
                long total = (long) batch * batches;
                System.out.printf("mean insertAll %.0f opp/s, bare COPY %.0f opp/s, ratio %.2f%n",
                        total / storeSeconds, total / bareSeconds, storeSeconds / bareSeconds);
                long t0 = System.nanoTime();
                long n;
                try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
                    n = all.count();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("stream %d opportunities in %.2f s = %.0f opp/s%n", n, s, n / s);
            }
        }
    }

    /** Copies the rows of the opportunities with ids in [first, last] to the bare tables; the COPY-in seconds. */
    private static double bareCopy(Connection c, CopyManager copy, String first, String last)
            throws SQLException, java.io.IOException {
        double seconds = 0;
        c.setAutoCommit(false);
        for (String t : TABLES) {
            String key = t.equals("crm_opportunity") ? "id" : "opp_id";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // ids are generated names (letters and digits): safe to inline in this harness
            copy.copyOut("COPY (SELECT * FROM public." + t + " WHERE " + key + " BETWEEN '" + first + "' AND '" + last
                    + "') TO STDOUT (FORMAT csv)", out);
            byte[] rows = out.toByteArray();
            long t0 = System.nanoTime();
            copy.copyIn("COPY bare." + t + " FROM STDIN (FORMAT csv)", new ByteArrayInputStream(rows));
            seconds += (System.nanoTime() - t0) / 1e9;
        }
        long t0 = System.nanoTime();
        c.commit();
        seconds += (System.nanoTime() - t0) / 1e9;
        c.setAutoCommit(true);
        return seconds;
    }
}
