package org.crmkit.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.crmkit.jdbc.internal.DriverDataSource;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped at JVM exit; each
 * test gets a schema of its own on it, so tests stay isolated without paying a server start.
 */
final class EmbeddedPg {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPg() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                EmbeddedPostgres started = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the working directory is under target/ anyway
                    }
                }));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("starting embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /**
     * A data source whose connections work in a new, empty schema.
     *
     * @return the data source
     */
    static DataSource freshSchema() {
        String schema = "t" + SCHEMAS.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("creating schema " + schema, e);
        }
        return new DriverDataSource(new org.postgresql.Driver(),
                server().getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema);
    }

    /**
     * A data source on a new, empty database of the server (its public schema is the default
     * tenant's), for tests whose stores create schemas and roles of their own (tenants).
     *
     * @return the data source
     */
    static DataSource freshDatabase() {
        return new DriverDataSource(new org.postgresql.Driver(), freshDatabaseUrl());
    }

    /**
     * The JDBC URL of a new, empty database of the server.
     *
     * @return the URL (user and password included)
     */
    static String freshDatabaseUrl() {
        String name = "d" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }
}
