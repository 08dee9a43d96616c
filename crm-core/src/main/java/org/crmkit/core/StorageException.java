package org.crmkit.core;

import java.util.Optional;

/**
 * A store failed (database error, I/O). Carries the SQLState when the store is a database,
 * so callers can tell a constraint violation ({@code 23xxx}) from a connection failure
 * ({@code 08xxx}).
 */
public class StorageException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;

    /**
     * Creates a storage failure.
     *
     * @param message what the store was doing
     * @param sqlState the SQLState reported by the database, or null
     * @param cause the underlying failure
     */
    public StorageException(String message, String sqlState, Throwable cause) {
        super(sqlState == null ? message : message + " [SQLState " + sqlState + "]", cause);
        this.sqlState = sqlState;
    }

    /**
     * The SQLState of the underlying database error.
     *
     * @return the five-character SQLState, empty when not a database error
     */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /**
     * The SQLState class (first two characters), e.g. {@code "23"} for integrity violations.
     *
     * @return the SQLState class, empty when not a database error
     */
    public Optional<String> sqlStateClass() {
        return sqlState == null || sqlState.length() < 2 ? Optional.empty() : Optional.of(sqlState.substring(0, 2));
    }
}
