package org.crmkit.jdbc.migration.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 6, PostgreSQL only: the foreign keys from the seven child tables of
 * {@code crm_opportunity} are replaced by statement-level triggers that enforce the same rules
 * once per statement over the statement's transition table, instead of once per row.
 *
 * <p>Why: measured on a store already holding 200k opportunities, a {@code COPY} of 100k
 * opportunities (about 900k rows) spent more than half of its time in the per-row foreign-key
 * triggers (17 s with them, 7 s without), each a locking {@code SELECT} on the parent's key. A
 * statement-level trigger does the same work as one join per statement: it locks the parents
 * of the rows the statement wrote {@code FOR KEY SHARE} (what the foreign key's trigger does
 * per row, so a concurrent delete of a parent waits or is seen) and fails with SQLState
 * {@code 23503} (foreign_key_violation) when any parent is missing. Deleting opportunities
 * deletes their children in one statement per child table (the old {@code ON DELETE CASCADE});
 * changing the id of an opportunity that has children fails with {@code 23503} (the old
 * {@code NO ACTION}). No column changes; H2 and SQLite keep their foreign keys.
 */
public class V6__set_checked_children extends BaseJavaMigration {
    /** The child tables of {@code crm_opportunity}, each with an {@code opp_id} column. */
    static final List<String> CHILDREN = List.of("crm_opp_competitor", "crm_opp_participant", "crm_opp_lead",
            "crm_opp_product_line", "crm_opp_history", "crm_opp_transition", "crm_opp_step");

    /** Creates the migration (Flyway instantiates it). */
    public V6__set_checked_children() {
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION crm_opp_child_check() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    + "DECLARE wanted BIGINT; found BIGINT;\n"
                    + "BEGIN\n"
                    + "  SELECT COUNT(DISTINCT opp_id) INTO wanted FROM crm_added;\n"
                    + "  IF wanted = 0 THEN RETURN NULL; END IF;\n"
                    + "  SELECT COUNT(*) INTO found FROM (SELECT 1 FROM crm_opportunity o\n"
                    + "    WHERE o.id IN (SELECT opp_id FROM crm_added) FOR KEY SHARE OF o) x;\n"
                    + "  IF found < wanted THEN\n"
                    + "    RAISE EXCEPTION 'insert or update on table \"%\" refers to an opportunity that is not stored',"
                    + " TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';\n"
                    + "  END IF;\n"
                    + "  RETURN NULL;\n"
                    + "END $$");
            replaceChildFunctions(s, CHILDREN);
            for (String child : CHILDREN) {
                for (String fk : foreignKeys(c, child)) {
                    s.execute("ALTER TABLE " + child + " DROP CONSTRAINT " + fk);
                }
                // an index on opp_id exists already: it leads every child table's primary key
                checkParent(s, child);
            }
            s.execute("CREATE TRIGGER crm_opportunity_cascade AFTER DELETE ON crm_opportunity"
                    + " REFERENCING OLD TABLE AS crm_removed FOR EACH STATEMENT EXECUTE FUNCTION crm_opp_cascade()");
            s.execute("CREATE TRIGGER crm_opportunity_id_kept AFTER UPDATE ON crm_opportunity"
                    + " REFERENCING OLD TABLE AS crm_before NEW TABLE AS crm_after FOR EACH STATEMENT"
                    + " EXECUTE FUNCTION crm_opp_id_kept()");
        }
    }

    /**
     * Creates or replaces the functions of the delete and id triggers of {@code crm_opportunity}
     * for a list of child tables: the delete cascades to each, and an id change of an
     * opportunity with rows in any of them fails. A later version with a new child table calls
     * it again with the longer list.
     *
     * @param s a statement on the migration's connection
     * @param children every child table
     * @throws SQLException on a database error
     */
    static void replaceChildFunctions(Statement s, List<String> children) throws SQLException {
        StringBuilder cascade = new StringBuilder();
        StringBuilder referenced = new StringBuilder();
        for (String child : children) {
            cascade.append("  DELETE FROM ").append(child).append(" WHERE opp_id IN (SELECT id FROM crm_removed);\n");
            referenced.append(referenced.length() == 0 ? "" : " OR ").append("EXISTS (SELECT 1 FROM ")
                    .append(child).append(" k WHERE k.opp_id = g.id)");
        }
        s.execute("CREATE OR REPLACE FUNCTION crm_opp_cascade() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                + "BEGIN\n" + cascade + "  RETURN NULL;\nEND $$");
        s.execute("CREATE OR REPLACE FUNCTION crm_opp_id_kept() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                + "BEGIN\n"
                + "  IF EXISTS (SELECT 1 FROM (SELECT id FROM crm_before EXCEPT SELECT id FROM crm_after) g\n"
                + "      WHERE " + referenced + ") THEN\n"
                + "    RAISE EXCEPTION 'update of crm_opportunity changes the id of an opportunity with child rows'"
                + " USING ERRCODE = 'foreign_key_violation';\n"
                + "  END IF;\n"
                + "  RETURN NULL;\n"
                + "END $$");
    }

    /**
     * Creates the statement-level triggers that check a child table's rows have a parent.
     *
     * @param s a statement on the migration's connection
     * @param child the child table (with an {@code opp_id} column and no foreign key)
     * @throws SQLException on a database error
     */
    static void checkParent(Statement s, String child) throws SQLException {
        s.execute("CREATE TRIGGER " + child + "_parent_ins AFTER INSERT ON " + child
                + " REFERENCING NEW TABLE AS crm_added FOR EACH STATEMENT EXECUTE FUNCTION crm_opp_child_check()");
        s.execute("CREATE TRIGGER " + child + "_parent_upd AFTER UPDATE ON " + child
                + " REFERENCING NEW TABLE AS crm_added FOR EACH STATEMENT EXECUTE FUNCTION crm_opp_child_check()");
    }

    /** The names (quoted) of a child table's foreign keys to {@code crm_opportunity}, from the catalog. */
    private static List<String> foreignKeys(Connection c, String child) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT quote_ident(conname) FROM pg_constraint"
                + " WHERE contype = 'f' AND conrelid = to_regclass(?) AND confrelid = to_regclass('crm_opportunity')")) {
            ps.setString(1, child);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
