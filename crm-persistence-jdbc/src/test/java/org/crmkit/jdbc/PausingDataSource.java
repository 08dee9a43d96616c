package org.crmkit.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A delegating data source that holds one query of the store right after it executed, until the
 * test lets it go: so a test can commit another writer's change at an exact point inside a
 * write's transaction (between the write's locked read of a row and its change of it), an
 * interleaving that concurrent writers only hit by chance.
 */
final class PausingDataSource extends DelegatingDataSource {
    private static final long WAIT_SECONDS = 60;

    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile Predicate<String> pausing = sql -> false;
    private volatile CountDownLatch reached = new CountDownLatch(0);
    private volatile CountDownLatch released = new CountDownLatch(0);

    PausingDataSource(DataSource target) {
        super(target);
    }

    /**
     * Makes the next query (of any thread) whose SQL matches pause once it has executed, before
     * its caller reads the result.
     */
    void pauseAfterNextQuery(Predicate<String> sql) {
        reached = new CountDownLatch(1);
        released = new CountDownLatch(1);
        pausing = sql;
        armed.set(true);
    }

    /** Waits until the armed query has executed and is held. */
    void awaitPaused() throws InterruptedException {
        if (!reached.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the armed query never ran");
        }
    }

    /** Lets the held query's caller go on. */
    void release() {
        released.countDown();
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
        return (Connection) Proxy.newProxyInstance(PausingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(c, method, args);
                    if (result instanceof PreparedStatement ps && args != null && args[0] instanceof String sql) {
                        return wrapStatement(ps, sql);
                    }
                    return result;
                });
    }

    private PreparedStatement wrapStatement(PreparedStatement ps, String sql) {
        return (PreparedStatement) Proxy.newProxyInstance(PausingDataSource.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    Object result = invoke(ps, method, args);
                    if (method.getName().equals("executeQuery") && pausing.test(sql) && armed.compareAndSet(true,
                            false)) {
                        reached.countDown();
                        if (!released.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                            throw new AssertionError("the held query was never released");
                        }
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
