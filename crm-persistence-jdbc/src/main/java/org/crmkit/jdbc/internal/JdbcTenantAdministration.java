package org.crmkit.jdbc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.core.StorageException;
import org.crmkit.core.TenantId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.TenantAdministration;
import org.crmkit.jdbc.Dialect;

/** The tenants of one database (H2, PostgreSQL) or of one SQLite file and its tenant directory. */
public final class JdbcTenantAdministration implements TenantAdministration {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Path sqliteFile;

    private JdbcTenantAdministration(DataSource dataSource, Dialect dialect, Path sqliteFile) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.sqliteFile = sqliteFile;
    }

    /**
     * The administration of a server database.
     *
     * @param dataSource the caller's data source (its login must own the tenants' roles)
     * @param dialect H2 or PostgreSQL
     * @return the administration
     */
    public static JdbcTenantAdministration server(DataSource dataSource, Dialect dialect) {
        Objects.requireNonNull(dataSource, "dataSource");
        ValidationException.require(dialect != Dialect.SQLITE, "dialect", dialect,
                "H2 or PostgreSQL (an embedded SQLite store is administered by its file)");
        return new JdbcTenantAdministration(dataSource, dialect, null);
    }

    /**
     * The administration of an embedded SQLite store.
     *
     * @param file the default tenant's database file
     * @return the administration
     */
    public static JdbcTenantAdministration sqlite(Path file) {
        return new JdbcTenantAdministration(null, Dialect.SQLITE, file.toAbsolutePath());
    }

    @Override
    public List<TenantId> tenants() {
        if (dialect == Dialect.SQLITE) {
            return sqliteTenants();
        }
        List<TenantId> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (holdsStore(c)) {
                out.add(TenantId.DEFAULT);
            }
            String sql = dialect == Dialect.POSTGRESQL
                    ? "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?)"
                            + " AND to_regclass(quote_ident(nspname) || '.crm_opportunity') IS NOT NULL"
                    : "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA s WHERE LEFT(SCHEMA_NAME, 11) = ?"
                            + " AND EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLES t"
                            + " WHERE t.TABLE_SCHEMA = s.SCHEMA_NAME AND t.TABLE_NAME = 'CRM_OPPORTUNITY')";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, dialect == Dialect.H2 ? TenantScope.PREFIX.toUpperCase(Locale.ROOT) : TenantScope.PREFIX);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1).substring(TenantScope.PREFIX.length()).toLowerCase(Locale.ROOT);
                        out.add(TenantId.of(id));
                    }
                }
            }
        } catch (SQLException e) {
            throw Db.translate("listing tenants", e);
        }
        return out.stream().sorted().toList();
    }

    private boolean holdsStore(Connection c) throws SQLException {
        String sql = dialect == Dialect.POSTGRESQL ? "SELECT 1 WHERE to_regclass('crm_opportunity') IS NOT NULL"
                : "SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
                        + " AND TABLE_NAME = 'CRM_OPPORTUNITY'";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private List<TenantId> sqliteTenants() {
        List<TenantId> out = new ArrayList<>();
        if (Files.exists(sqliteFile)) {
            out.add(TenantId.DEFAULT);
        }
        Path dir = TenantScope.sqliteDirectory(sqliteFile);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".db"))
                        .map(n -> n.substring(0, n.length() - 3))
                        .filter(n -> n.matches("[a-z][a-z0-9_]{0,39}") && !n.equals(TenantId.DEFAULT.value()))
                        .forEach(n -> out.add(TenantId.of(n)));
            } catch (IOException e) {
                throw new StorageException("listing tenants in " + dir + " failed: " + e.getMessage(), null, e);
            }
        }
        return out.stream().sorted().toList();
    }

    @Override
    public boolean drop(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        ValidationException.require(!tenant.isDefault(), "tenant", tenant, "a tenant other than the default one");
        if (dialect == Dialect.SQLITE) {
            Path file = TenantScope.sqliteFile(sqliteFile, tenant);
            try {
                boolean existed = Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
                return existed;
            } catch (IOException e) {
                throw new StorageException("dropping tenant " + tenant + " (" + file + ") failed: " + e.getMessage(), null, e);
            }
        }
        if (!tenants().contains(tenant)) {
            return false;
        }
        String name = TenantScope.of(dialect, tenant).schema();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (dialect == Dialect.POSTGRESQL) {
                    s.execute("SELECT pg_advisory_xact_lock(7243501)");
                }
                s.execute("DROP SCHEMA " + name + " CASCADE");
                if (dialect == Dialect.POSTGRESQL) {
                    // roles are per cluster: the same tenant in another database keeps it
                    java.sql.Savepoint sp = c.setSavepoint();
                    try {
                        s.execute("DROP ROLE IF EXISTS " + name);
                    } catch (SQLException inUse) {
                        c.rollback(sp);
                    }
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw Db.translate("dropping tenant " + tenant, e);
        }
    }
}
