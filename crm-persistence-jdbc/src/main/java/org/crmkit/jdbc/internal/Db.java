package org.crmkit.jdbc.internal;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.CrmException;
import org.crmkit.core.StorageException;
import org.crmkit.jdbc.Dialect;
import org.h2.jdbc.JdbcException;
import org.postgresql.util.PSQLException;
import org.sqlite.SQLiteException;

/**
 * Runs units of work on connections from the caller's data source, each write in exactly one
 * transaction, and translates every {@link SQLException} into a {@link StorageException}
 * carrying the SQLState.
 *
 * <p>A transaction is whole or absent. When the work fails, the transaction is rolled back;
 * when the rollback fails too, the connection is discarded ({@link Connection#abort} where the
 * driver has it, then closed) and never handed back with auto-commit switched on: under JDBC,
 * {@code setAutoCommit(true)} commits a pending transaction, which would store half a write.
 *
 * <p>A database that has one writer at a time (SQLite) gets a write data source whose
 * transactions take the write lock when they begin, and a lock in this JVM that writers take
 * in turn, so a writer neither fails on a lock upgrade nor spins on the database's busy
 * timeout while another writer of the same store commits.
 */
public final class Db {
    /**
     * Work on an open connection.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param connection the connection
         * @return the result
         * @throws SQLException on a database error
         */
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final DataSource writeDataSource;
    private final ReentrantLock writeLock;
    private final Dialect dialect;

    /**
     * Creates the runner.
     *
     * @param dataSource where reading connections come from
     * @param writeDataSource where connections for write transactions come from
     * @param serialWrites whether writers of this store take turns (a database with one writer
     *     at a time)
     * @param dialect the database
     */
    public Db(DataSource dataSource, DataSource writeDataSource, boolean serialWrites, Dialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.writeDataSource = Objects.requireNonNull(writeDataSource, "writeDataSource");
        this.writeLock = serialWrites ? new ReentrantLock(true) : null;
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * The database dialect.
     *
     * @return the dialect
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Opens a connection; the caller closes it.
     *
     * @param what what the store is doing, for the error message
     * @return the connection
     * @throws StorageException when no connection can be opened
     */
    public Connection connect(String what) {
        return connect(dataSource, what);
    }

    private static Connection connect(DataSource source, String what) {
        try {
            return source.getConnection();
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws.
     *
     * @param <T> the result type
     * @param what what the store is doing, for the error message
     * @param work the work
     * @return the work's result
     * @throws StorageException on a database error (after rollback)
     */
    public <T> T inTransaction(String what, Work<T> work) {
        if (writeLock == null) {
            return transaction(writeDataSource, what, -1, work);
        }
        writeLock.lock();
        try {
            return transaction(writeDataSource, what, -1, work);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs a write in one repeatable-read transaction: every statement reads the same committed
     * state, and a write that conflicts with a concurrent one fails instead of overwriting it.
     * For work that replaces data computed from a consistent read (a rebuild of the maintained
     * aggregates).
     *
     * @param <T> the result type
     * @param what what the store is doing, for the error message
     * @param work the work
     * @return the work's result
     * @throws StorageException on a database error (after rollback)
     */
    public <T> T inSnapshotTransaction(String what, Work<T> work) {
        if (writeLock == null) {
            return transaction(writeDataSource, what, Connection.TRANSACTION_REPEATABLE_READ, work);
        }
        writeLock.lock();
        try {
            return transaction(writeDataSource, what, Connection.TRANSACTION_REPEATABLE_READ, work);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs a write of an unversioned whole (the org structure, a process, plans) in one
     * transaction that first takes the whole's row of {@code crm_write_lock} (migration V4), so
     * concurrent writers of it take turns instead of interleaving; a writer that cannot get
     * the row in the database's lock wait gets a {@link ConcurrentUpdateException}, never a
     * raw deadlock or unique violation.
     *
     * @param <T> the result type
     * @param what what the store is doing, for the error message
     * @param lock the row: {@code "org"}, {@code "processes"} or {@code "plans"}
     * @param kind what is written, for the conflict, e.g. {@code "process"}
     * @param id which one, for the conflict
     * @param work the work, run after the row is taken
     * @return the work's result
     * @throws ConcurrentUpdateException when the turn could not be taken
     * @throws StorageException on another database error
     */
    public <T> T inTurn(String what, String lock, String kind, Object id, Work<T> work) {
        try {
            return inTransaction(what, c -> {
                takeTurn(c, lock);
                return work.run(c);
            });
        } catch (StorageException e) {
            if (e.getCause() instanceof SQLException s && (dialect.isConcurrentUpdate(s) || dialect.isUniqueViolation(s))) {
                throw new ConcurrentUpdateException(kind, id, e);
            }
            throw e;
        }
    }

    /**
     * Takes a row of {@code crm_write_lock} inside the caller's transaction.
     *
     * @param c the connection, in a transaction
     * @param lock the row's name
     * @throws SQLException on a database error, including a lock wait that timed out
     */
    public static void takeTurn(Connection c, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE crm_write_lock SET taken = taken + 1 WHERE name = ?")) {
            ps.setString(1, lock);
            ps.executeUpdate();
        }
    }

    /**
     * Runs read-only work of several statements in one repeatable-read transaction, so every
     * statement sees the same committed state.
     *
     * @param <T> the result type
     * @param what what the store is doing, for the error message
     * @param work the work
     * @return the work's result
     * @throws StorageException on a database error
     */
    public <T> T snapshot(String what, Work<T> work) {
        return transaction(dataSource, what, Connection.TRANSACTION_REPEATABLE_READ, work);
    }

    private <T> T transaction(DataSource source, String what, int isolation, Work<T> work) {
        Connection c = connect(source, what);
        boolean reusable = true;
        try {
            boolean autoCommit = c.getAutoCommit();
            int previousIsolation = c.getTransactionIsolation();
            // both must be set before the first statement: PostgreSQL fixes them when the
            // transaction starts
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            boolean isolate = isolation >= 0 && isolation != previousIsolation;
            if (isolate) {
                c.setTransactionIsolation(isolation);
            }
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                reusable = rollback(c, e);
                throw e;
            }
            // only reached with the transaction ended: restoring the settings commits nothing
            if (isolate) {
                c.setTransactionIsolation(previousIsolation);
            }
            if (autoCommit) {
                c.setAutoCommit(true);
            }
            return result;
        } catch (SQLException e) {
            throw translate(what, e);
        } finally {
            if (reusable) {
                closeQuietly(c);
            } else {
                discard(c);
            }
        }
    }

    /**
     * Rolls back; true when the connection is clean again, false when the rollback failed and
     * the transaction may still be pending on it.
     */
    private static boolean rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
            return true;
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    /**
     * Ends a connection whose transaction could not be rolled back, without committing it:
     * {@code abort} terminates the physical connection (a pool then drops it), and the database
     * rolls back what the connection left open; {@code close} follows for drivers without abort.
     */
    static void discard(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            // not supported or already broken: closing below is what is left
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // the connection is unusable either way
        }
    }

    /**
     * Closes after the transaction ended: a failure to close cannot change what was committed
     * or rolled back, so it is not allowed to replace the outcome the caller gets.
     */
    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // the outcome stands; the pool or the driver deals with the broken connection
        }
    }

    /**
     * Runs read-only work on a connection in auto-commit mode (each statement sees committed
     * data).
     *
     * @param <T> the result type
     * @param what what the store is doing, for the error message
     * @param work the work
     * @return the work's result
     * @throws StorageException on a database error
     */
    public <T> T read(String what, Work<T> work) {
        try (Connection c = connect(what)) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /**
     * Translates a database error into the crmkit exception. The message names the operation
     * (with the ids it concerned, which {@code what} carries), the database's own description
     * of the error and the SQLState; it never carries SQL text or bound values, which drivers
     * put into their messages (H2 appends the statement, PostgreSQL's batch errors quote every
     * value of the failed row), because messages end up in logs and user interfaces. The
     * driver's exception stays available as the cause.
     *
     * @param what what the store was doing
     * @param e the error
     * @return the exception to throw
     */
    public static CrmException translate(String what, SQLException e) {
        SQLException primary = e instanceof BatchUpdateException && e.getNextException() != null
                ? e.getNextException() : e;
        return new StorageException(what + " failed: " + describe(primary), sqlState(primary), e);
    }

    private static final int MAX_DESCRIPTION = 240;

    /** The database's description of an error without statement text, values or details. */
    static String describe(SQLException e) {
        String text;
        if (e instanceof PSQLException pg && pg.getServerErrorMessage() != null) {
            // the primary message only: Detail and Where quote row values
            text = pg.getServerErrorMessage().getMessage();
        } else if (e instanceof JdbcException h2) {
            text = h2.getOriginalMessage();
        } else {
            text = e.getMessage();
        }
        if (text == null) {
            return e.getClass().getSimpleName();
        }
        int cut = text.indexOf("; SQL statement");
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION) + "…";
    }

    /**
     * The SQLState of an error. SQLite's driver reports result codes instead, mapped here to
     * the standard classes so callers can tell a constraint ({@code 23}) from a lock conflict
     * ({@code 40}) or a full disk ({@code 53}) the same way on every database.
     */
    static String sqlState(SQLException e) {
        if (e instanceof SQLiteException lite) {
            int code = lite.getResultCode().code;
            return switch (code & 0xff) {
                case 19 -> switch (code) {
                    case 1555, 2067 -> "23505"; // primary key, unique
                    case 787 -> "23503"; // foreign key
                    case 1299 -> "23502"; // not null
                    case 275 -> "23514"; // check
                    default -> "23000";
                };
                case 5, 6 -> "40001"; // busy, locked: another writer holds the database
                case 1 -> "42000"; // SQL error: unknown table or column, syntax
                case 8 -> "25006"; // read-only
                case 13 -> "53100"; // disk full
                case 14 -> "08001"; // cannot open
                case 10 -> "58030"; // I/O error
                case 11, 26 -> "XX001"; // corrupt, not a database
                default -> e.getSQLState();
            };
        }
        return e.getSQLState();
    }
}
