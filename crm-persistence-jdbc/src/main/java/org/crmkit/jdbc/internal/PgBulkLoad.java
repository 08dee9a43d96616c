package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lifts the per-row work PostgreSQL does on a large load into a (nearly) empty store and
 * puts it back as set operations, inside the load's own transaction.
 *
 * <p>Measured on the bulk import: the foreign key of every child row is checked by a trigger
 * that runs one locking {@code SELECT} per row (about two thirds of the time of copying the
 * transition and step rows), and every secondary index of the opportunity table is updated
 * row by row (about half the time of copying the opportunity rows). So before the copy the
 * store's foreign keys from the child tables and the secondary indexes of its tables are
 * dropped, and after it the indexes are built again (one sort each) and the foreign keys
 * re-added, which validates every child row in one join. PostgreSQL's DDL is transactional:
 * when anything fails, the rollback restores the constraints and indexes with the rows, and
 * a committed load has exactly the schema it started with, every constraint checked.
 *
 * <p>Since schema version 6 the child tables have no foreign keys on PostgreSQL (their
 * references are checked per statement by triggers, which stay in place), so only the indexes
 * are lifted; foreign keys are still lifted on a schema that has them.
 *
 * <p>The price is an exclusive lock on the store's opportunity tables for the load (readers
 * wait), and re-validating and re-indexing the rows already stored, so it is only used when
 * the load is at least as large as what is stored. When the locks are not granted within
 * {@link #LOCK_WAIT} (a long reader, or another load taking them at the same time), or the
 * store's role does not own the tables, the load falls back to the per-row path. Identifiers
 * in the DDL come from the catalog, quoted by PostgreSQL ({@code regclass},
 * {@code quote_ident}); no value is spliced into SQL.
 */
final class PgBulkLoad {
    /** How long the load waits for its exclusive locks before falling back. */
    static final String LOCK_WAIT = "2s";

    private final List<String> restore;

    private PgBulkLoad(List<String> restore) {
        this.restore = List.copyOf(restore);
    }

    /**
     * Drops the foreign keys from the child tables to the parent and the secondary indexes of
     * all the tables, when that is expected to pay off.
     *
     * @param c the connection, in the load's transaction, nothing written yet
     * @param parent the parent table (its primary key stays)
     * @param children the child tables referencing it
     * @param loadRows the number of parent rows about to be loaded
     * @return the lifted work to restore after the load, or empty when nothing was changed
     * @throws SQLException on a database error (the transaction must be rolled back)
     */
    static Optional<PgBulkLoad> lift(Connection c, String parent, List<String> children, long loadRows)
            throws SQLException {
        List<String> tables = new ArrayList<>();
        tables.add(parent);
        tables.addAll(children);
        if (!owned(c, tables)) {
            return Optional.empty();
        }
        // locks first, count after: reading the table before would hold a share lock that two
        // concurrent loads could each need the other to give up
        Savepoint before = c.setSavepoint();
        if (!locked(c, tables, before)) {
            return Optional.empty();
        }
        if (stored(c, parent, loadRows) > loadRows) {
            // rolling back to the savepoint releases the exclusive locks again
            c.rollback(before);
            return Optional.empty();
        }
        List<String> drop = new ArrayList<>();
        List<String> restore = new ArrayList<>();
        String in = tables.stream().map(t -> "to_regclass(?)").collect(java.util.stream.Collectors.joining(", "));
        // indexes first on restore: re-adding a foreign key then validates against built indexes
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indexrelid::regclass::text,"
                + " pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid IN (" + in + ")"
                + " AND NOT i.indisprimary AND NOT i.indisunique AND NOT i.indisexclusion"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
                + " ORDER BY 1")) {
            bind(ps, tables, 0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drop.add("DROP INDEX " + rs.getString(1));
                    restore.add(rs.getString(2));
                }
            }
        }
        String childIn = children.stream().map(t -> "to_regclass(?)").collect(java.util.stream.Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT k.conrelid::regclass::text, quote_ident(k.conname),"
                + " pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contype = 'f'"
                + " AND k.confrelid = to_regclass(?) AND k.conrelid IN (" + childIn + ") ORDER BY 1, 2")) {
            ps.setString(1, parent);
            bind(ps, children, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drop.add("ALTER TABLE " + rs.getString(1) + " DROP CONSTRAINT " + rs.getString(2));
                    restore.add("ALTER TABLE " + rs.getString(1) + " ADD CONSTRAINT " + rs.getString(2) + " "
                            + rs.getString(3));
                }
            }
        }
        if (drop.isEmpty()) {
            return Optional.empty();
        }
        try (Statement st = c.createStatement()) {
            for (String sql : drop) {
                st.execute(sql);
            }
        }
        return Optional.of(new PgBulkLoad(restore));
    }

    /**
     * Builds the dropped indexes again and re-adds the dropped foreign keys, validating every
     * row.
     *
     * @param c the connection, in the load's transaction
     * @throws SQLException on a database error, such as a row violating a constraint (the
     *     transaction must be rolled back)
     */
    void restore(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : restore) {
                st.execute(sql);
            }
        }
    }

    private static void bind(PreparedStatement ps, List<String> values, int offset) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(offset + i + 1, values.get(i));
        }
    }

    private static boolean owned(Connection c, List<String> tables) throws SQLException {
        String in = tables.stream().map(t -> "to_regclass(?)").collect(java.util.stream.Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(BOOL_AND(pg_has_role(relowner,"
                + " 'USAGE')), FALSE) FROM pg_class WHERE oid IN (" + in + ")")) {
            bind(ps, tables, 0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == tables.size() && rs.getBoolean(2);
            }
        }
    }

    /** The rows stored in a table, counted up to one more than a limit. */
    private static long stored(Connection c, String table, long limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM " + table
                + " LIMIT ?) x")) {
            ps.setLong(1, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Takes the exclusive locks up front, parent first as every other write does, so the
     * DDL cannot deadlock with a writer half-way; gives up after {@link #LOCK_WAIT} (or when
     * chosen as a deadlock victim), rolled back to a savepoint taken just before.
     */
    private static boolean locked(Connection c, List<String> tables, Savepoint before) throws SQLException {
        String previous;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW lock_timeout")) {
            rs.next();
            previous = rs.getString(1);
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
            st.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState())) {
                throw e;
            }
            // not granted: undo the wait setting too and load row by row
            c.rollback(before);
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            ps.setString(1, previous);
            ps.executeQuery().close();
        }
        return true;
    }
}
