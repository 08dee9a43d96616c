package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageKind;
import org.crmkit.core.Step;
import org.crmkit.core.spi.ProcessRepository;

/**
 * Sales processes in three tables (process, stages, steps). Saving replaces the process and
 * its stages in one transaction. When the new definition orders the stages differently (or
 * adds or removes some), the same transaction re-derives the derived columns of every stored
 * opportunity of the process ({@link Rederivation}), so stage indexes never go stale; a stage
 * still used by an opportunity cannot be removed.
 */
public final class JdbcProcesses implements ProcessRepository {
    private final Db db;
    private final Runnable afterSave;

    /**
     * Creates the repository.
     *
     * @param db the database
     * @param afterSave run after a save committed (the store rebuilds aggregates a save made stale)
     */
    public JdbcProcesses(Db db, Runnable afterSave) {
        this.db = db;
        this.afterSave = afterSave;
    }

    @Override
    public void save(SalesProcess process) {
        Objects.requireNonNull(process, "process");
        db.inTurn("saving process " + process.id(), "processes", "process", process.id(), c -> {
            writeAll(c, List.of(process));
            return null;
        });
        afterSave.run();
    }

    /**
     * Writes processes, each replacing a stored one of the same id, inside the caller's
     * transaction (which holds the {@code processes} turn).
     *
     * @param c the connection
     * @param processes the processes
     * @throws SQLException on a database error
     */
    public static void writeAll(Connection c, List<SalesProcess> processes) throws SQLException {
        for (SalesProcess p : processes) {
            write(c, p);
        }
    }

    private static void write(Connection c, SalesProcess process) throws SQLException {
        String id = process.id().value();
        List<SalesProcess> before = load(c, id);
        for (String table : List.of("crm_step", "crm_stage")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE process_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE crm_process SET name = ?, mode = ? WHERE id = ?")) {
            ps.setString(1, process.name());
            ps.setString(2, process.mode().name());
            ps.setString(3, id);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_process (id, name, mode) VALUES (?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, process.name());
                ps.setString(3, process.mode().name());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement stage = c.prepareStatement("INSERT INTO crm_stage (process_id, pos, code, name, kind,"
                + " default_probability) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement step = c.prepareStatement("INSERT INTO crm_step (process_id, stage_pos, pos, code,"
                        + " name, required) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < process.stages().size(); i++) {
                Stage s = process.stages().get(i);
                stage.setString(1, id);
                stage.setInt(2, i);
                stage.setString(3, s.code());
                stage.setString(4, s.name());
                stage.setString(5, s.kind().name());
                stage.setInt(6, s.defaultProbability());
                stage.addBatch();
                for (int k = 0; k < s.steps().size(); k++) {
                    Step st = s.steps().get(k);
                    step.setString(1, id);
                    step.setInt(2, i);
                    step.setInt(3, k);
                    step.setString(4, st.code());
                    step.setString(5, st.name());
                    step.setBoolean(6, st.required());
                    step.addBatch();
                }
            }
            stage.executeBatch();
            step.executeBatch();
        }
        if (!before.isEmpty() && DerivedColumns.fingerprint(before.get(0)) != DerivedColumns.fingerprint(process)) {
            // another order of the stages: the stored opportunities' derived columns follow it
            Rederivation.run(c, process, 1_000);
            // the maintained aggregates were kept for the old order: the store rebuilds them
            MaintainedFunnel.markStale(c);
        }
    }

    @Override
    public Optional<SalesProcess> find(ProcessId id) {
        Objects.requireNonNull(id, "id");
        return db.read("reading process " + id, c -> load(c, id.value()).stream().findFirst());
    }

    @Override
    public List<SalesProcess> findAll() {
        return db.read("reading processes", c -> load(c, null));
    }

    /**
     * Loads processes on an open connection (inside the caller's transaction).
     *
     * @param c the connection
     * @param id the process id, or null for all
     * @return the processes ordered by id
     * @throws SQLException on a database error
     */
    public static List<SalesProcess> load(Connection c, String id) throws SQLException {
        String where = id == null ? "" : " WHERE process_id = ?";
        Map<String, String[]> heads = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, mode FROM crm_process"
                + (id == null ? "" : " WHERE id = ?") + " ORDER BY id")) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        if (heads.isEmpty()) {
            return List.of();
        }
        Map<String, Map<Integer, List<Step>>> steps = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT process_id, stage_pos, code, name, required FROM crm_step"
                + where + " ORDER BY process_id, stage_pos, pos")) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .computeIfAbsent(rs.getInt(2), k -> new ArrayList<>())
                            .add(new Step(rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        Map<String, List<Stage>> stages = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT process_id, pos, code, name, kind, default_probability"
                + " FROM crm_stage" + where + " ORDER BY process_id, pos")) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String pid = rs.getString(1);
                    List<Step> st = steps.getOrDefault(pid, Map.of()).getOrDefault(rs.getInt(2), List.of());
                    stages.computeIfAbsent(pid, k -> new ArrayList<>()).add(new Stage(rs.getString(3),
                            rs.getString(4), StageKind.valueOf(rs.getString(5)), rs.getInt(6), st));
                }
            }
        }
        List<SalesProcess> out = new ArrayList<>();
        for (Map.Entry<String, String[]> e : heads.entrySet()) {
            out.add(new SalesProcess(ProcessId.of(e.getKey()), e.getValue()[0], ProcessMode.valueOf(e.getValue()[1]),
                    stages.getOrDefault(e.getKey(), List.of())));
        }
        return out;
    }
}
