package org.crmkit.jdbc.migration.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.crmkit.core.SalesProcess;
import org.crmkit.jdbc.internal.Migrations;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 5: the time an opportunity spent in each of its first twelve open stages as
 * plain columns ({@code stage_s_0 .. stage_s_11}, NULL where no visit of the stage finished), so
 * the funnel groups times in stage in SQL; and {@code process_hash}, the fingerprint of the
 * process definition the row's derived columns were computed with, so a query can refuse rows
 * derived for another order of the stages. The text column {@code stage_seconds} (V3) and
 * {@code crm_opp_transition.stage_total_s} (V2), which they replace, are dropped.
 *
 * <p>A Java migration because the fingerprint is computed in Java. Existing rows: the times come
 * from {@code stage_total_s} (the seconds of all left visits of a stage, on its last left visit);
 * the fingerprint of the stored process is written only on rows whose stage indexes all match
 * that process's current stage order, so a row derived before its process was reordered (which
 * earlier versions could not detect) stays without a fingerprint and is refused by the funnel
 * until the process is saved again, which re-derives it.
 */
public class V5__funnel_stage_times extends BaseJavaMigration {
    /** Creates the migration (Flyway instantiates it). */
    public V5__funnel_stage_times() {
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE crm_opportunity ADD COLUMN process_hash BIGINT");
            StringBuilder set = new StringBuilder();
            for (int k = 0; k < Migrations.STAGE_TIME_COLUMNS; k++) {
                s.execute("ALTER TABLE crm_opportunity ADD COLUMN stage_s_" + k + " BIGINT");
                set.append(k == 0 ? "" : ", ").append("stage_s_").append(k)
                        .append(" = (SELECT t.stage_total_s FROM crm_opp_transition t WHERE t.opp_id = crm_opportunity.id")
                        .append(" AND t.to_index = ").append(k).append(" AND t.stage_total_s IS NOT NULL)");
            }
            // no alias on the updated table: SQLite does not take one
            s.executeUpdate("UPDATE crm_opportunity SET " + set + " WHERE stage_seconds IS NOT NULL");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE crm_opportunity SET process_hash = ?"
                + " WHERE process_id = ?"
                + " AND stage_index = (SELECT s.pos FROM crm_stage s WHERE s.process_id = crm_opportunity.process_id"
                + " AND s.code = crm_opportunity.stage)"
                + " AND NOT EXISTS (SELECT 1 FROM crm_opp_transition t WHERE t.opp_id = crm_opportunity.id"
                + " AND NOT EXISTS (SELECT 1 FROM crm_stage s WHERE s.process_id = crm_opportunity.process_id"
                + " AND s.code = t.to_stage AND s.pos = t.to_index))")) {
            for (SalesProcess p : Migrations.processes(c)) {
                ps.setLong(1, Migrations.fingerprint(p));
                ps.setString(2, p.id().value());
                ps.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE crm_opportunity DROP COLUMN stage_seconds");
            s.execute("ALTER TABLE crm_opp_transition DROP COLUMN stage_total_s");
            // the funnel asks, per query, whether any row of a process has another fingerprint
            s.execute("CREATE INDEX crm_opportunity_process_hash ON crm_opportunity (process_id, process_hash)");
        }
    }
}
