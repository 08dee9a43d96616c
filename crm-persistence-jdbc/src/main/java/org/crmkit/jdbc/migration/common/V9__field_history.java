package org.crmkit.jdbc.migration.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 9: the field history of each opportunity
 * ({@link org.crmkit.core.Opportunity#changes()}), one row per change in the child table
 * {@code crm_opp_change} (field, the values before and after as text, when, by whom).
 *
 * <p>Every opportunity already stored gets one {@code HISTORY_START} event at the instant of
 * the migration (or at its creation, if that is later), by its owner: its values are known from then on, not before, so a waterfall
 * or a forecast as of an earlier instant reports the deal as one with an incomplete history
 * instead of pretending its amount and close date never changed. On PostgreSQL the new table
 * is checked by the statement-level triggers of version 6 (and the delete and id triggers now
 * cover it); H2 and SQLite get a foreign key, as their other child tables have.
 *
 * <p>Cost: one inserted row per stored opportunity, in one statement.
 */
public class V9__field_history extends BaseJavaMigration {
    /** The new child table. */
    static final String TABLE = "crm_opp_change";

    /** Creates the migration (Flyway instantiates it). */
    public V9__field_history() {
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
        Map<String, String> types = context.getConfiguration().getPlaceholders();
        String key = required(types, "key");
        String text = required(types, "text");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (opp_id " + key + " NOT NULL"
                    + (postgres ? "" : " REFERENCES crm_opportunity (id) ON DELETE CASCADE")
                    + ", pos INTEGER NOT NULL, field VARCHAR(32) NOT NULL, from_value " + text + ", to_value " + text
                    + ", at_s BIGINT NOT NULL, at_n INTEGER NOT NULL, by_id " + key + " NOT NULL,"
                    + " PRIMARY KEY (opp_id, pos))");
            if (postgres) {
                List<String> children = new ArrayList<>(V6__set_checked_children.CHILDREN);
                children.add(TABLE);
                V6__set_checked_children.replaceChildFunctions(s, children);
                V6__set_checked_children.checkParent(s, TABLE);
            }
        }
        Instant now = Instant.now();
        String insert = "INSERT INTO " + TABLE + " (opp_id, pos, field, from_value, to_value, at_s, at_n, by_id)";
        try (PreparedStatement ps = c.prepareStatement(insert
                + " SELECT id, 0, 'HISTORY_START', NULL, NULL, ?, ?, owner_id FROM crm_opportunity"
                + " WHERE created_s < ? OR (created_s = ? AND created_n <= ?)")) {
            ps.setLong(1, now.getEpochSecond());
            ps.setInt(2, now.getNano());
            ps.setLong(3, now.getEpochSecond());
            ps.setLong(4, now.getEpochSecond());
            ps.setInt(5, now.getNano());
            ps.executeUpdate();
        }
        // a deal created after the migration's clock (a clock behind the data's, or planned
        // deals) starts its history at its creation: no change may come before it
        try (PreparedStatement ps = c.prepareStatement(insert
                + " SELECT id, 0, 'HISTORY_START', NULL, NULL, created_s, created_n, owner_id FROM crm_opportunity"
                + " WHERE created_s > ? OR (created_s = ? AND created_n > ?)")) {
            ps.setLong(1, now.getEpochSecond());
            ps.setLong(2, now.getEpochSecond());
            ps.setInt(3, now.getNano());
            ps.executeUpdate();
        }
    }

    private static String required(Map<String, String> placeholders, String name) {
        String v = placeholders.get(name);
        if (v == null) {
            throw new IllegalStateException("the migration placeholder " + name + " is not set");
        }
        return v;
    }
}
