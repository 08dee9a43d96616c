package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;

/**
 * Re-derives the derived columns of every opportunity of a process for a new definition of it
 * (stages reordered, added or removed), inside the caller's transaction: the transitions are
 * read in one pass with a cursor (bounded memory), each opportunity's columns are derived again
 * ({@link DerivedColumns#of}) and written back in batches. A stored stage the new definition
 * lacks fails the whole transaction with the opportunity named, so the store never holds an
 * opportunity its process cannot read.
 */
final class Rederivation {
    private static final int BATCH = 1_000;

    private Rederivation() {
    }

    /**
     * Re-derives a process's opportunities.
     *
     * @param c the connection, in a transaction
     * @param process the new definition
     * @param fetchSize rows per round trip of the read
     * @return the number of opportunities re-derived
     * @throws SQLException on a database error
     * @throws ValidationException when an opportunity holds a stage the definition lacks
     */
    static long run(Connection c, SalesProcess process, int fetchSize) throws SQLException {
        StringBuilder set = new StringBuilder("UPDATE crm_opportunity SET stage_index = ?, furthest_open_index = ?,"
                + " entered_mask = ?, process_hash = ?");
        for (int k = 0; k < DerivedColumns.STAGE_TIME_COLUMNS; k++) {
            set.append(", stage_s_").append(k).append(" = ?");
        }
        set.append(" WHERE id = ?");
        long done = 0;
        try (PreparedStatement read = c.prepareStatement("SELECT t.opp_id, t.pos, t.to_stage, t.at_s, t.at_n"
                + " FROM crm_opp_transition t JOIN crm_opportunity o ON o.id = t.opp_id WHERE o.process_id = ?"
                + " ORDER BY t.opp_id, t.pos");
                PreparedStatement opp = c.prepareStatement(set.toString());
                PreparedStatement tr = c.prepareStatement(
                        "UPDATE crm_opp_transition SET to_index = ?, to_bit = ? WHERE opp_id = ? AND pos = ?")) {
            read.setFetchSize(fetchSize);
            read.setString(1, process.id().value());
            String current = null;
            List<String> codes = new ArrayList<>();
            List<Instant> ats = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (true) {
                    boolean more = rs.next();
                    String id = more ? rs.getString(1) : null;
                    if (current != null && !current.equals(id)) {
                        write(opp, tr, process, current, codes, ats, positions);
                        done++;
                        if (++pending == BATCH) {
                            opp.executeBatch();
                            tr.executeBatch();
                            pending = 0;
                        }
                        codes.clear();
                        ats.clear();
                        positions.clear();
                    }
                    if (!more) {
                        break;
                    }
                    current = id;
                    positions.add(rs.getInt(2));
                    codes.add(rs.getString(3));
                    ats.add(Instant.ofEpochSecond(rs.getLong(4), rs.getInt(5)));
                }
            }
            if (pending > 0) {
                opp.executeBatch();
                tr.executeBatch();
            }
        }
        return done;
    }

    private static void write(PreparedStatement opp, PreparedStatement tr, SalesProcess process, String id,
            List<String> codes, List<Instant> ats, List<Integer> positions) throws SQLException {
        DerivedColumns d;
        try {
            d = DerivedColumns.of(process, codes, ats);
        } catch (ValidationException e) {
            ValidationException named = new ValidationException("process.stages", process.id(),
                    "every stage opportunity " + id + " has been in (" + e.getMessage() + ")");
            named.initCause(e);
            throw named;
        }
        opp.setInt(1, d.stageIndex());
        opp.setInt(2, d.furthestOpenIndex());
        opp.setLong(3, d.enteredMask());
        opp.setLong(4, d.fingerprint());
        for (int k = 0; k < DerivedColumns.STAGE_TIME_COLUMNS; k++) {
            Long v = d.stageSeconds()[k];
            if (v == null) {
                opp.setNull(5 + k, Types.BIGINT);
            } else {
                opp.setLong(5 + k, v);
            }
        }
        opp.setString(5 + DerivedColumns.STAGE_TIME_COLUMNS, id);
        opp.addBatch();
        for (int i = 0; i < positions.size(); i++) {
            tr.setInt(1, d.toIndex()[i]);
            tr.setLong(2, d.toBit()[i]);
            tr.setString(3, id);
            tr.setInt(4, positions.get(i));
            tr.addBatch();
        }
    }
}
