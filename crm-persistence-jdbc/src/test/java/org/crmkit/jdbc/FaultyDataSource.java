package org.crmkit.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A delegating data source that injects faults into the store's JDBC calls, so tests can make
 * any statement of a write fail, and its rollback fail too, on a real database. Statements are
 * counted when they execute ({@code execute*} and {@code executeBatch}, plus each
 * {@code COPY} started through the driver's copy API, which PostgreSQL bulk loads use), so a
 * test can walk a fault through every statement of an operation. A failing rollback throws
 * without rolling back, which leaves the transaction pending on the real connection: exactly
 * the state in which a store must not switch auto-commit on.
 */
final class FaultyDataSource extends DelegatingDataSource {
    private static final Set<String> EXECUTES = Set.of("execute", "executeUpdate", "executeBatch",
            "executeLargeUpdate", "executeLargeBatch");

    private final AtomicInteger executed = new AtomicInteger();
    private volatile int failAt = -1;
    private volatile String failingSql;
    private volatile boolean failRollback;
    private volatile boolean failCommit;
    private final java.util.List<String> unbounded = new java.util.concurrent.CopyOnWriteArrayList<>();

    FaultyDataSource(DataSource target) {
        super(target);
    }

    /** Makes the {@code n}-th write statement from now on fail (1-based); -1 for none. */
    FaultyDataSource failWriteStatement(int n) {
        return failWriteStatement(n, null);
    }

    /**
     * Makes the {@code n}-th write statement whose SQL contains {@code fragment} fail, counting
     * only those (1-based).
     */
    FaultyDataSource failWriteStatement(int n, String fragment) {
        executed.set(0);
        failingSql = fragment;
        failAt = n;
        return this;
    }

    FaultyDataSource failRollback(boolean value) {
        failRollback = value;
        return this;
    }

    FaultyDataSource failCommit(boolean value) {
        failCommit = value;
        return this;
    }

    FaultyDataSource heal() {
        failAt = -1;
        failingSql = null;
        failRollback = false;
        failCommit = false;
        return this;
    }

    /**
     * The queries that ran without a cursor: with fetch size 0, or in auto-commit mode, where
     * PostgreSQL's driver reads the whole result into memory.
     */
    java.util.List<String> unboundedQueries() {
        return unbounded;
    }

    /** How many write statements ran since the last {@link #failWriteStatement}. */
    int executed() {
        return executed.get();
    }

    private void countWrite(String sql) throws SQLException {
        String fragment = failingSql;
        if (fragment != null && (sql == null || !sql.contains(fragment))) {
            return;
        }
        int n = executed.incrementAndGet();
        if (n == failAt) {
            throw new SQLException("injected fault at write statement " + n, "08006");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(target.getConnection(user, password));
    }

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "rollback" -> {
                            if (failRollback && (args == null || args.length == 0)) {
                                throw new SQLException("injected rollback failure", "08006");
                            }
                        }
                        case "commit" -> {
                            if (failCommit) {
                                throw new SQLException("injected commit failure", "08006");
                            }
                        }
                        case "unwrap" -> {
                            Object unwrapped = invoke(c, method, args);
                            return copyCounting(unwrapped);
                        }
                        default -> {
                        }
                    }
                    Object result = invoke(c, method, args);
                    String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                    if (result instanceof PreparedStatement ps) {
                        return wrapStatement(ps, PreparedStatement.class, sql, c);
                    }
                    if (result instanceof Statement st) {
                        return wrapStatement(st, Statement.class, null, c);
                    }
                    return result;
                });
    }

    /** A PostgreSQL connection unwrapped for COPY: each copy counts as a write statement. */
    private Object copyCounting(Object unwrapped) throws SQLException {
        if (unwrapped instanceof org.postgresql.PGConnection pg) {
            return Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                    new Class<?>[] {org.postgresql.PGConnection.class}, (proxy, method, args) -> {
                        Object result = invoke(pg, method, args);
                        if (method.getName().equals("getCopyAPI")) {
                            org.postgresql.copy.CopyManager copy = (org.postgresql.copy.CopyManager) result;
                            return new CountingCopyManager(copy, pg);
                        }
                        return result;
                    });
        }
        return unwrapped;
    }

    /** Counts each COPY the store starts, failing it when its turn comes. */
    private final class CountingCopyManager extends org.postgresql.copy.CopyManager {
        private final org.postgresql.copy.CopyManager delegate;

        CountingCopyManager(org.postgresql.copy.CopyManager delegate, org.postgresql.PGConnection pg)
                throws SQLException {
            super((org.postgresql.core.BaseConnection) pg);
            this.delegate = delegate;
        }

        @Override
        public org.postgresql.copy.CopyIn copyIn(String sql) throws SQLException {
            countWrite(sql);
            return delegate.copyIn(sql);
        }
    }

    private <T extends Statement> T wrapStatement(T st, Class<T> type, String preparedSql, Connection c) {
        return type.cast(Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getName().equals("executeQuery") && (st.getFetchSize() <= 0 || c.getAutoCommit())) {
                        unbounded.add(preparedSql != null ? preparedSql : String.valueOf(args == null ? null : args[0]));
                    }
                    if (EXECUTES.contains(method.getName())) {
                        countWrite(preparedSql != null ? preparedSql
                                : args != null && args.length > 0 && args[0] instanceof String text ? text : null);
                    }
                    return invoke(st, method, args);
                }));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
