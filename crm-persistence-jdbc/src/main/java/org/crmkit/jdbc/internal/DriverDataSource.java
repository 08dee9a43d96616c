package org.crmkit.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that opens a new connection from a driver for every call: what the embedded
 * H2 store needs (H2 connections in the same JVM are cheap), without a pool.
 */
public final class DriverDataSource implements DataSource {
    private final Driver driver;
    private final String url;

    /**
     * Creates the data source.
     *
     * @param driver the JDBC driver
     * @param url the connection URL
     */
    public DriverDataSource(Driver driver, String url) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.url = Objects.requireNonNull(url, "url");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(null, null);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection c = driver.connect(url, props);
        if (c == null) {
            throw new SQLException("driver " + driver.getClass().getName() + " does not accept " + url, "08001");
        }
        return c;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver-level log: the store logs through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // connections are local; there is nothing to time out
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
