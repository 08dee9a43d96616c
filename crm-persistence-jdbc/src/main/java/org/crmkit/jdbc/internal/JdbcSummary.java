package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.crmkit.core.ManagerId;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.PopulationSummary;

/**
 * The store's answer to {@code FunnelSource#summary}: four small statements on the
 * opportunity table, in one consistent read. The counts per owner come from the maintained
 * aggregates' totals when they are valid (O(owners)), else read the
 * {@code (process_id, owner_id)} index; the changes after an instant and the latest change
 * read the {@code last_transition_s} index, the owners of deals handed over after it the
 * {@code last_change_s} index, and are few for the usual "as of now".
 */
public final class JdbcSummary {
    private static final String PER_OWNER = "SELECT owner_id, COUNT(*) FROM crm_opportunity WHERE process_id = ?"
            + " GROUP BY owner_id";
    private static final String CHANGED_AFTER = "SELECT owner_id, COUNT(*) FROM crm_opportunity WHERE process_id = ?"
            + " AND (last_transition_s > ? OR (last_transition_s = ? AND last_transition_n > ?)) GROUP BY owner_id";
    private static final String LATEST = "SELECT last_transition_s, last_transition_n FROM crm_opportunity"
            + " WHERE process_id = ? ORDER BY last_transition_s DESC, last_transition_n DESC LIMIT 1";

    /**
     * The owners deals of the process were handed over from after an instant: through the index
     * on {@code last_change_s} to the deals changed since (none for the usual "as of now"), then
     * their changes by the history table's key.
     */
    private static final String FORMER_OWNERS = "SELECT DISTINCT c.from_value FROM crm_opportunity o"
            + " JOIN crm_opp_change c ON c.opp_id = o.id WHERE o.process_id = ? AND o.last_change_s >= ?"
            + " AND c.field = 'OWNER' AND (c.at_s > ? OR (c.at_s = ? AND c.at_n > ?))";

    private static final int FETCH_SIZE = 2_000;

    private JdbcSummary() {
    }

    /**
     * Counts what the store holds of a process.
     *
     * @param db the database
     * @param process the process
     * @param after the instant after which transitions count as changes
     * @param maintained the maintained aggregates, whose totals give the counts per owner when valid
     * @return the counts
     */
    public static PopulationSummary of(Db db, SalesProcess process, Instant after, MaintainedFunnel maintained) {
        String id = process.id().value();
        return db.snapshot("summarising the opportunities of process " + id, c -> {
            Map<ManagerId, Long> kept = process.openStageCount() <= DerivedColumns.STAGE_TIME_COLUMNS
                    ? maintained.opportunitiesPerOwner(c, id) : null;
            Map<ManagerId, Long> opportunities = kept != null ? kept : new HashMap<>();
            if (kept == null) {
                perOwner(c, id, opportunities);
            }
            Map<ManagerId, Long> changed = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(CHANGED_AFTER)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, id);
                ps.setLong(2, after.getEpochSecond());
                ps.setLong(3, after.getEpochSecond());
                ps.setInt(4, after.getNano());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.put(ManagerId.of(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            Instant latest = null;
            try (PreparedStatement ps = c.prepareStatement(LATEST)) {
                ps.setFetchSize(1);
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        latest = Instant.ofEpochSecond(rs.getLong(1), rs.getInt(2));
                    }
                }
            }
            java.util.Set<ManagerId> former = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(FORMER_OWNERS)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, id);
                ps.setLong(2, after.getEpochSecond());
                ps.setLong(3, after.getEpochSecond());
                ps.setLong(4, after.getEpochSecond());
                ps.setInt(5, after.getNano());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        former.add(ManagerId.of(rs.getString(1)));
                    }
                }
            }
            return new PopulationSummary(opportunities, changed, latest, former);
        });
    }

    /** The opportunities per owner, grouped in SQL: when no maintained totals are valid. */
    private static void perOwner(Connection c, String id, Map<ManagerId, Long> opportunities) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PER_OWNER)) {
            // one row per owner: thousands at most, read through a cursor all the same
            ps.setFetchSize(FETCH_SIZE);
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    opportunities.put(ManagerId.of(rs.getString(1)), rs.getLong(2));
                }
            }
        }
    }
}
