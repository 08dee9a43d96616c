package org.crmkit.jdbc.internal;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection settings of the embedded SQLite store, chosen for durability first: WAL
 * journal with {@code synchronous=FULL} (the WAL is synced at every commit, so an acknowledged
 * commit survives a killed process and a lost machine; measured in {@code docs/reliability.md}),
 * foreign keys enforced (SQLite's default is off, and the child tables cascade on delete), a
 * busy timeout so a second process or a checkpoint waits instead of failing at once.
 */
public final class Sqlite {
    /** How long a connection waits for another writer's lock before it fails. */
    static final int BUSY_TIMEOUT_MS = 30_000;

    private Sqlite() {
    }

    /**
     * The data source for reads: transactions begin deferred, so readers never take the write
     * lock and, in WAL mode, never wait for a writer.
     *
     * @param file the database file
     * @return the data source
     */
    public static DataSource readers(Path file) {
        return dataSource(file, SQLiteConfig.TransactionMode.DEFERRED);
    }

    /**
     * The data source for write transactions: each begins with {@code BEGIN IMMEDIATE}, taking
     * the write lock before its first read, so it cannot fail later on a lock upgrade
     * ({@code SQLITE_BUSY_SNAPSHOT}) after reading a version another writer then changed.
     *
     * @param file the database file
     * @return the data source
     */
    public static DataSource writers(Path file) {
        return dataSource(file, SQLiteConfig.TransactionMode.IMMEDIATE);
    }

    private static DataSource dataSource(Path file, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(mode);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }
}
