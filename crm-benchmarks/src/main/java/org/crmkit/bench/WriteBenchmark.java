package org.crmkit.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.jdbc.CrmStore;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The cost of one write through {@code CrmStore} on a store that already holds data: an update
 * of a stored opportunity (read it, change its amount, write it back with its version) and an
 * insert of a new one, each its own transaction, on the embedded default (an SQLite file that
 * syncs every commit), on H2's file store as the embedded default was before (no sync on
 * commit, 500 ms write delay) and with {@code WRITE_DELAY=0}, and on PostgreSQL (embedded; its
 * default {@code synchronous_commit=on} syncs the WAL at commit). The price of durability is
 * the difference between the first and the H2 rows; {@code docs/reliability.md} has why.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class WriteBenchmark {
    /** The store: sqlite (the embedded default), h2file, h2file-nodelay or postgres. */
    @Param({"sqlite", "h2file", "h2file-nodelay", "postgres"})
    public String db;

    /**
     * Whether the store maintains the funnel aggregates on every write (the default), or not:
     * the cost of maintenance is the difference.
     */
    @Param({"true", "false"})
    public boolean maintain;

    /** Opportunities in the store before the writes. */
    @Param({"10000"})
    public int stored;

    private Path dir;
    private EmbeddedPostgres postgres;
    private CrmStore store;
    private List<Opportunity> current;
    private DatasetGenerator gen;
    private final Random random = new Random(20261202L);
    private int inserted;

    /** Fills a fresh store. */
    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("crmkit-write-bench");
        gen = BenchData.generator(stored);
        store = switch (db) {
            case "sqlite" -> CrmStore.builder().embedded(dir.resolve("crm.db")).maintainAggregates(maintain).build();
            case "h2file" -> h2("jdbc:h2:file:" + dir.resolve("crm"), maintain);
            case "h2file-nodelay" -> h2("jdbc:h2:file:" + dir.resolve("crm") + ";WRITE_DELAY=0", maintain);
            case "postgres" -> {
                postgres = EmbeddedPostgres.builder().start();
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setURL(postgres.getJdbcUrl("postgres", "postgres"));
                yield CrmStore.builder().dataSource(pg).maintainAggregates(maintain).build();
            }
            default -> throw new IllegalArgumentException("db must be sqlite, h2file, h2file-nodelay or postgres");
        };
        store.processes().save(gen.process());
        store.orgStructure().save(gen.orgStructure());
        store.opportunities().insertAll(gen.opportunities().toList());
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            current = new ArrayList<>(all.toList());
        }
    }

    private static CrmStore h2(String url, boolean maintain) {
        // an H2 file store held open by one connection, as CrmStore.embedded did before
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL(url + ";DB_CLOSE_DELAY=-1");
        return CrmStore.builder().dataSource(ds).maintainAggregates(maintain).build();
    }

    /** Closes the store and removes its files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        if (postgres != null) {
            postgres.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * One opportunity updated: its stored copy changed and written back (one transaction).
     *
     * @return the new version
     */
    @Benchmark
    public long updateOne() {
        int i = random.nextInt(current.size());
        Opportunity o = current.get(i);
        Opportunity changed = o.toBuilder().title(o.title().length() > 80 ? "Deal" : o.title() + "+").build();
        Opportunity stored = store.opportunities().update(changed);
        current.set(i, stored);
        return stored.version();
    }

    /**
     * One new opportunity inserted (one transaction).
     *
     * @return the stored version
     */
    @Benchmark
    public long insertOne() {
        Opportunity template = current.get(random.nextInt(current.size()));
        Opportunity fresh = template.toBuilder().id(OpportunityId.of("w-" + db + "-" + inserted++)).version(0)
                .build();
        return store.opportunities().insert(fresh).version();
    }
}
