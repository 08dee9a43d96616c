package org.crmkit.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a data source to observe the store: how many connections are open and which SQL
 * statements were prepared. Connections stay unwrappable to the driver's own types.
 */
final class CountingDataSource extends DelegatingDataSource {
    private final AtomicInteger open = new AtomicInteger();
    private final List<String> prepared = new CopyOnWriteArrayList<>();

    CountingDataSource(DataSource target) {
        super(target);
    }

    int open() {
        return open.get();
    }

    List<String> prepared() {
        return prepared;
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
        open.incrementAndGet();
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !closed[0]) {
                        closed[0] = true;
                        open.decrementAndGet();
                    }
                    if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                        prepared.add(sql);
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
