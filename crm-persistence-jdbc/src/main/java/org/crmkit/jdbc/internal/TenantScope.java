package org.crmkit.jdbc.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.crmkit.core.StorageException;
import org.crmkit.core.TenantId;
import org.crmkit.jdbc.Dialect;

/**
 * Where a tenant's tables live and how a connection is confined to them.
 *
 * <ul>
 *   <li><b>PostgreSQL</b>: a schema {@code crm_tenant_<id>} owned by a role of the same name
 *       ({@code NOLOGIN}, a member of nothing, granted to the store's login). Every connection
 *       the store hands out runs {@code SET ROLE} to that role, which selects its schema through
 *       the default search path's {@code "$user"} entry (where the session's search path has no
 *       such entry, the search path is set to the schema too, and reset on return); the role has no privilege on any other tenant's schema, so a statement on
 *       such a connection, hand-written or generated, cannot read or change another tenant's
 *       rows: the database refuses it ({@code permission denied}). The connection is reset
 *       ({@code RESET ROLE}, {@code RESET search_path}) before it goes back to the caller's
 *       pool.</li>
 *   <li><b>H2</b>: a schema {@code CRM_TENANT_<ID>}, made the connection's current schema.
 *       H2 has no {@code SET ROLE}: the separation is by name resolution only (every statement
 *       of the store names tables without a schema).</li>
 *   <li><b>SQLite</b>: a database file of its own, {@code <file>.tenants/<id>.db}.</li>
 * </ul>
 *
 * <p>The default tenant is the data source's own schema (or the file itself), unchanged, so a
 * store created before tenants existed is the default tenant's store as it was.
 */
public final class TenantScope {
    /** The prefix of a tenant's PostgreSQL schema and role (H2: upper case). */
    public static final String PREFIX = "crm_tenant_";

    private final Dialect dialect;
    private final TenantId tenant;

    private TenantScope(Dialect dialect, TenantId tenant) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /**
     * The scope of a tenant on a database.
     *
     * @param dialect the database
     * @param tenant the tenant
     * @return the scope
     */
    public static TenantScope of(Dialect dialect, TenantId tenant) {
        return new TenantScope(dialect, tenant);
    }

    /**
     * The schema holding the tenant's tables (and on PostgreSQL also the role owning them);
     * null for the default tenant and on SQLite. Safe to splice into SQL: a tenant id is lower
     * case letters, digits and underscores.
     *
     * @return the schema name or null
     */
    public String schema() {
        if (tenant.isDefault() || dialect == Dialect.SQLITE) {
            return null;
        }
        return dialect == Dialect.H2 ? (PREFIX + tenant.value()).toUpperCase(java.util.Locale.ROOT) : PREFIX + tenant.value();
    }

    /**
     * The SQLite file of a tenant beside the default tenant's file.
     *
     * @param file the default tenant's database file
     * @param tenant the tenant
     * @return the file (the given one for the default tenant)
     */
    public static Path sqliteFile(Path file, TenantId tenant) {
        return tenant.isDefault() ? file : sqliteDirectory(file).resolve(tenant.value() + ".db");
    }

    /**
     * The directory of the other tenants' SQLite files.
     *
     * @param file the default tenant's database file
     * @return the directory
     */
    public static Path sqliteDirectory(Path file) {
        return file.resolveSibling(file.getFileName() + ".tenants");
    }

    /**
     * Creates what the tenant's schema needs before its migrations run: on H2 the schema, on
     * PostgreSQL the role
     * (when absent; that needs {@code CREATEROLE}, or a role created by an administrator
     * beforehand), its membership for the login and the schema it owns. Serialised by an
     * advisory lock, so stores opening the same new tenant at once do not collide.
     *
     * @param raw the caller's data source
     * @throws StorageException when the database refuses
     */
    public void prepare(DataSource raw) {
        String name = schema();
        if (name == null) {
            return;
        }
        if (dialect == Dialect.H2) {
            // the migrations run on connections already in the schema, so it must exist first
            try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + name);
            } catch (SQLException e) {
                throw new StorageException("preparing tenant " + tenant + " (schema " + name + ") failed: "
                        + e.getMessage(), e.getSQLState(), e);
            }
            return;
        }
        try (Connection c = raw.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(7243501)");
                if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
                    s.execute("CREATE ROLE " + name + " NOLOGIN");
                }
                if (!exists(c, "SELECT 1 WHERE pg_has_role(current_user, ?, 'MEMBER')", name)) {
                    s.execute("GRANT " + name + " TO CURRENT_USER");
                }
                s.execute("CREATE SCHEMA IF NOT EXISTS " + name + " AUTHORIZATION " + name);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StorageException("preparing tenant " + tenant + " (schema and role " + name
                    + ") failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * A data source whose connections are confined to the tenant, and reset when closed; the
     * given one itself for the default tenant and on SQLite.
     *
     * @param raw the caller's data source
     * @return the confined data source
     */
    public DataSource confine(DataSource raw) {
        return schema() == null ? raw : new Confined(raw, this);
    }

    /**
     * Whether the caller's connections arrive confined to the tenant already: on PostgreSQL
     * a data source whose sessions start as the tenant's role in its schema (a login of the
     * tenant's own, or {@code options=-c role=crm_tenant_<id> -c search_path=crm_tenant_<id>}
     * on the URL of a pool dedicated to the tenant). Such connections need nothing per
     * borrow, and {@code RESET ROLE} on them returns to the tenant's role, not to a wider one.
     *
     * @param raw the caller's data source
     * @return true when a connection of it is the tenant's role in the tenant's schema
     * @throws StorageException when the database cannot be reached
     */
    public boolean arrivesConfined(DataSource raw) {
        String name = schema();
        if (name == null || dialect != Dialect.POSTGRESQL) {
            return false;
        }
        try (Connection c = raw.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT current_user = ? AND current_schema() = ? AND current_setting('role') = ?")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new StorageException("checking the connections of tenant " + tenant + " failed: " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    private Connection enter(Connection c, Confined from) throws SQLException {
        String name = schema();
        if (dialect == Dialect.POSTGRESQL) {
            boolean resetPath;
            try (Statement s = c.createStatement()) {
                Boolean roleOnly = from.roleOnly;
                if (roleOnly == null) {
                    // decided on the first connection: when the session's search path starts with
                    // "$user" (PostgreSQL's default), the role alone selects the tenant's schema,
                    // and the search path is left as it is (changing it per borrow measured
                    // slower); otherwise it is set, and reset on return
                    s.execute("SET ROLE " + name);
                    try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                        roleOnly = rs.next() && name.equals(rs.getString(1));
                    }
                    if (!roleOnly) {
                        s.execute("SET search_path TO " + name);
                    }
                    from.roleOnly = roleOnly;
                } else {
                    s.execute(roleOnly ? "SET ROLE " + name : "SET ROLE " + name + "; SET search_path TO " + name);
                }
                resetPath = !roleOnly;
            }
            if (!c.getAutoCommit()) {
                // a pool handing out connections in manual commit: a later rollback must not
                // undo the confinement (a fresh connection holds no other pending work)
                c.commit();
            }
            return wrap(c, null, resetPath);
        }
        String before = c.getSchema();
        c.setSchema(name);
        return wrap(c, before, false);
    }

    private Connection wrap(Connection c, String schemaBefore, boolean resetPath) {
        InvocationHandler h = new InvocationHandler() {
            private boolean closed;

            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                if (m.getName().equals("close") && m.getParameterCount() == 0) {
                    if (!closed) {
                        closed = true;
                        leave(c, schemaBefore, resetPath);
                    }
                    return null;
                }
                if (m.getName().equals("isClosed") && m.getParameterCount() == 0 && closed) {
                    return true;
                }
                try {
                    return m.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    /** Resets the connection to how it came from the pool, then gives it back. */
    private void leave(Connection c, String schemaBefore, boolean resetPath) throws SQLException {
        try {
            if (!c.isClosed()) {
                if (dialect == Dialect.POSTGRESQL) {
                    if (!c.getAutoCommit()) {
                        // an aborted transaction refuses RESET; nothing of it is kept anyway
                        c.rollback();
                    }
                    try (Statement s = c.createStatement()) {
                        s.execute(resetPath ? "RESET ROLE; RESET search_path" : "RESET ROLE");
                    }
                } else if (schemaBefore != null) {
                    c.setSchema(schemaBefore);
                }
            }
        } catch (SQLException e) {
            // a connection that cannot be reset must not be reused with this tenant's rights
            c.abort(Runnable::run);
            throw e;
        } finally {
            c.close();
        }
    }

    /** The confined data source. */
    private static final class Confined implements DataSource {
        private final DataSource raw;
        private final TenantScope scope;
        /** Whether the role alone confines this source's sessions (PostgreSQL); null until known. */
        private volatile Boolean roleOnly;

        Confined(DataSource raw, TenantScope scope) {
            this.raw = raw;
            this.scope = scope;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return enterOrClose(raw.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return enterOrClose(raw.getConnection(user, password));
        }

        private Connection enterOrClose(Connection c) throws SQLException {
            try {
                return scope.enter(c, this);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return raw.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            raw.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            raw.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return raw.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return raw.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            // the caller's data source would hand out connections outside the tenant
            throw new SQLException("a tenant's data source does not unwrap to " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
