package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.crmkit.core.CrmException;
import org.crmkit.core.StorageException;
import org.crmkit.jdbc.Dialect;

/**
 * Runs units of work on connections from the caller's data source, each write in exactly one
 * transaction, and translates every {@link SQLException} into a {@link StorageException}
 * carrying the SQLState.
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
    private final Dialect dialect;

    /**
     * Creates the runner.
     *
     * @param dataSource where connections come from
     * @param dialect the database
     */
    public Db(DataSource dataSource, Dialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
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
        try {
            return dataSource.getConnection();
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
        return transaction(what, -1, work);
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
        return transaction(what, Connection.TRANSACTION_REPEATABLE_READ, work);
    }

    private <T> T transaction(String what, int isolation, Work<T> work) {
        try (Connection c = connect(what)) {
            boolean autoCommit = c.getAutoCommit();
            int previousIsolation = c.getTransactionIsolation();
            // both must be set before the first statement: PostgreSQL fixes them when the
            // transaction starts
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            if (isolation >= 0 && isolation != previousIsolation) {
                c.setTransactionIsolation(isolation);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                if (isolation >= 0 && isolation != previousIsolation) {
                    c.setTransactionIsolation(previousIsolation);
                }
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw translate(what, e);
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

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Translates a database error into the crmkit exception.
     *
     * @param what what the store was doing
     * @param e the error
     * @return the exception to throw
     */
    public static CrmException translate(String what, SQLException e) {
        return new StorageException(what + " failed: " + e.getMessage(), e.getSQLState(), e);
    }
}
