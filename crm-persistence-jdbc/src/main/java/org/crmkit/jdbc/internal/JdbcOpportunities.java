package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.crmkit.core.BatchCheck;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StorageException;
import org.crmkit.core.TrackedField;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.core.spi.UpsertConflict;
import org.crmkit.core.spi.UpsertMode;
import org.crmkit.core.spi.UpsertResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opportunities in the opportunity table plus eight child tables (the field history since
 * schema version 9). Every write is one transaction; updates and deletes are guarded by the
 * version column ({@code ... WHERE id = ? AND version = ?}), so a stale writer changes nothing
 * and gets a {@link ConcurrentUpdateException}.
 */
public final class JdbcOpportunities implements OpportunityRepository {
    /** Loads at least this large refresh the planner statistics of the store's tables. */
    static final int ANALYZE_THRESHOLD = 10_000;
    /**
     * Loads at least this large into a store holding no more opportunities than the load lift
     * the per-row constraint checks and index updates on PostgreSQL ({@link PgBulkLoad}).
     */
    static final int BULK_THRESHOLD = 10_000;
    /**
     * Statistics are refreshed once the opportunities loaded since the last refresh reach this
     * fraction (1/n) of the rows they were gathered for. Measured: an {@code ANALYZE} of the
     * store's tables took 3–5 s on a store of 300k opportunities, a quarter of a 100k load, and
     * the planner's choices do not change while a table grows by a fifth (PostgreSQL's own
     * autovacuum analyses after a tenth changed).
     */
    static final int ANALYZE_GROWTH = 5;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcOpportunities.class);

    private final Db db;
    private final MaintainedFunnel maintained;
    private final ZoneId zone;
    private final int batchSize;
    private final int fetchSize;
    private final String updateSql;
    private final java.util.concurrent.atomic.AtomicLong loadedSinceStatistics = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Creates the repository.
     *
     * @param db the database
     * @param zone the zone of the derived creation date
     * @param batchSize rows per JDBC batch in bulk inserts
     * @param fetchSize rows per round trip in streaming reads
     * @param maintained the maintained aggregates every write keeps
     */
    public JdbcOpportunities(Db db, ZoneId zone, int batchSize, int fetchSize, MaintainedFunnel maintained) {
        this.db = db;
        this.maintained = maintained;
        this.zone = zone;
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
        List<String> cols = OpportunityRows.OPPORTUNITY.columns();
        this.updateSql = "UPDATE crm_opportunity SET "
                + cols.subList(1, cols.size()).stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
                + " WHERE id = ? AND version = ?";
    }

    private static SalesProcess processOf(Opportunity opp, Map<String, SalesProcess> processes) {
        SalesProcess process = processes.get(opp.processId().value());
        if (process == null) {
            throw new ValidationException("processId", opp.processId(), "the id of a stored process")
                    .forOpportunity(opp.id());
        }
        opp.requireConformsTo(process);
        return process;
    }

    private static Map<String, SalesProcess> processes(Connection c, String id) throws SQLException {
        Map<String, SalesProcess> out = new HashMap<>();
        for (SalesProcess p : JdbcProcesses.load(c, id)) {
            out.put(p.id().value(), p);
        }
        return out;
    }

    @Override
    public Opportunity insert(Opportunity opportunity) {
        Objects.requireNonNull(opportunity, "opportunity");
        if (opportunity.version() != 0) {
            throw new ValidationException("version", opportunity.version(), "0 for an opportunity not stored yet")
                    .forOpportunity(opportunity.id());
        }
        try {
            Opportunity stored = db.inTransaction("inserting opportunity " + opportunity.id(), c -> {
                SalesProcess process = processOf(opportunity, processes(c, opportunity.processId().value()));
                Object[] row = OpportunityRows.opportunityRow(opportunity, process, 1, zone);
                try (PreparedStatement ps = c.prepareStatement(OpportunityRows.OPPORTUNITY.insertSql())) {
                    OpportunityRows.OPPORTUNITY.bind(ps, 0, row, 0);
                    ps.executeUpdate();
                }
                insertChildren(c, List.of(opportunity), Map.of(process.id().value(), process));
                MaintainedFunnel.Deltas deltas = maintained.deltas();
                deltas.added(row, process);
                deltas.write(c);
                return opportunity.toBuilder().version(1).build();
            });
            maintained.afterWrite();
            return stored;
        } catch (StorageException e) {
            RuntimeException taken = idTaken(e, opportunity.id().value());
            throw taken instanceof ValidationException v ? v.forOpportunity(opportunity.id()) : taken;
        }
    }


    @Override
    public Opportunity update(Opportunity opportunity) {
        Objects.requireNonNull(opportunity, "opportunity");
        String id = opportunity.id().value();
        long expected = opportunity.version();
        try {
            Opportunity stored = db.inTransaction("updating opportunity " + id, c -> {
                SalesProcess process = processOf(opportunity, processes(c, opportunity.processId().value()));
                Object[] row = OpportunityRows.opportunityRow(opportunity, process, expected + 1, zone);
                // the old state's contribution, read with the row locked so it is the one replaced;
                // a row not there at the expected version fails here, before the UPDATE could
                // match a row another writer inserted since under the same id
                MaintainedFunnel.Deltas deltas = maintained.deltas();
                long read = deltas.removed(c, id, expected, Map.of(process.id().value(), process));
                if (read != expected) {
                    throw new ConcurrentUpdateException("opportunity", id, expected, read);
                }
                // a copy without field history (built afresh) continues the stored one rather than drop it
                Opportunity written = opportunity;
                if (opportunity.changes().isEmpty()) {
                    List<FieldChange> history = storedChanges(c, List.of(id)).getOrDefault(id, List.of());
                    if (!history.isEmpty()) {
                        written = opportunity.continuingHistory(history, trackedValues(c, List.of(id)).get(id),
                                Instant.now());
                    }
                }
                int changed;
                try (PreparedStatement ps = c.prepareStatement(updateSql)) {
                    OpportunityRows.OPPORTUNITY.bind(ps, 0, row, 1);
                    int n = row.length - 1;
                    ps.setString(n + 1, id);
                    ps.setLong(n + 2, expected);
                    changed = ps.executeUpdate();
                }
                if (changed == 0) {
                    throw new ConcurrentUpdateException("opportunity", id, expected, storedVersion(c, id));
                }
                for (OpportunityRows.Child child : OpportunityRows.CHILDREN) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + child.table().name()
                            + " WHERE opp_id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
                insertChildren(c, List.of(written), Map.of(process.id().value(), process));
                deltas.added(row, process);
                deltas.write(c);
                return written.toBuilder().version(expected + 1).build();
            });
            maintained.afterWrite();
            return stored;
        } catch (StorageException e) {
            if (e.getCause() instanceof SQLException s && db.dialect().isConcurrentUpdate(s)) {
                ConcurrentUpdateException conflict = new ConcurrentUpdateException("opportunity", id, expected,
                        db.read("reading a version", c -> storedVersion(c, id)));
                conflict.initCause(e);
                throw conflict;
            }
            throw e;
        }
    }

    private static long storedVersion(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM crm_opportunity WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public long insertAll(Collection<Opportunity> opportunities) {
        List<Opportunity> batch = List.copyOf(Objects.requireNonNull(opportunities, "opportunities"));
        if (batch.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        try {
            db.inTransaction("inserting " + batch.size() + " opportunities", c -> {
                Map<String, SalesProcess> processes = processes(c, null);
                // Taken ids are found by the primary key while writing; only a batch already
                // known to fail pays a look-up of them, so its report lists them too.
                BatchCheck<Opportunity> check = check(batch, processes, id -> false);
                if (!check.allValid()) {
                    Set<String> taken = storedIds(c, batch);
                    check(batch, processes, id -> taken.contains(id.value())).requireAllValid();
                }
                long written = writeNew(c, batch, false, processes);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("stored {} opportunities in {} ms ({})", written,
                            (System.nanoTime() - started) / 1_000_000, copies(c) ? "COPY" : "JDBC batches");
                }
                return written;
            });
        } catch (StorageException e) {
            if (!(e.getCause() instanceof SQLException s && db.dialect().isUniqueViolation(s))) {
                throw e;
            }
            // Rolled back: name every id of the batch that is stored (by another writer, or before).
            BatchValidationException taken = db.read("finding the stored ids of a rejected batch", c -> {
                Map<String, SalesProcess> processes = processes(c, null);
                Set<String> stored = storedIds(c, batch);
                BatchCheck<Opportunity> check = check(batch, processes, id -> stored.contains(id.value()));
                return check.allValid() ? null : new BatchValidationException("opportunities", batch.size(),
                        check.rejections());
            });
            if (taken == null) {
                throw idTaken(e, "one of the " + batch.size() + " ids in the batch (" + e.getMessage() + ")");
            }
            taken.initCause(e);
            throw taken;
        }
        afterLoad(batch.size());
        return batch.size();
    }

    /**
     * Inserts opportunities inside the caller's transaction, keeping the version each carries
     * (version 0 is stored as 1): the opportunities of an imported dataset.
     *
     * @param c the connection, in a transaction
     * @param batch the opportunities, distinct ids
     * @return how many were written
     * @throws SQLException on a database error
     * @throws ValidationException when one does not conform to its stored process
     */
    public long importAll(Connection c, List<Opportunity> batch) throws SQLException {
        Map<String, SalesProcess> processes = processes(c, null);
        // every invalid opportunity of the dataset at once; taken ids surface as the
        // database's unique violation, which the caller names
        BatchCheck.ofImport(batch, id -> Optional.ofNullable(processes.get(id.value())), id -> false)
                .requireAllValid();
        return writeNew(c, batch, true, processes);
    }

    /**
     * What follows a committed load: fresh planner statistics once the loads since the last
     * refresh add at least {@link #ANALYZE_THRESHOLD} opportunities and a fifth of the rows the
     * statistics were gathered for (so a store growing by 100k a batch is not re-analysed after
     * every batch).
     *
     * @param loaded how many opportunities the load wrote
     */
    public void afterLoad(int loaded) {
        maintained.afterWrite();
        long pending = loadedSinceStatistics.addAndGet(loaded);
        if (pending >= ANALYZE_THRESHOLD && pending >= analysedRows() / ANALYZE_GROWTH) {
            try {
                loadedSinceStatistics.addAndGet(-pending);
                refreshStatistics();
            } catch (StorageException e) {
                // The load is committed; fresh statistics only speed up later queries.
                LOG.warn("statistics not refreshed after a bulk load of {} opportunities; run ANALYZE on the"
                        + " crm_ tables if funnel queries slow down", loaded, e);
            }
        }
    }

    /**
     * A store failure on an insert, as the caller should see it: a taken id is a validation
     * failure naming it, anything else stays a storage failure.
     *
     * @param e the failure
     * @param ids the ids concerned, for the message
     * @return the exception to throw
     */
    public RuntimeException idTaken(StorageException e, String ids) {
        if (e.getCause() instanceof SQLException s && db.dialect().isUniqueViolation(s)) {
            ValidationException v = new ValidationException("id", ids, "an id not stored yet");
            v.initCause(e);
            return v;
        }
        return e;
    }

    /** Writes opportunities already checked against the stored processes, with their deltas. */
    private long writeNew(Connection c, List<Opportunity> batch, boolean keepVersions,
            Map<String, SalesProcess> processes) throws SQLException {
        MaintainedFunnel.Deltas deltas = maintained.deltas();
        writeRows(c, batch, o -> {
            SalesProcess process = processes.get(o.processId().value());
            Object[] r = OpportunityRows.opportunityRow(o, process, keepVersions && o.version() > 0 ? o.version() : 1,
                    zone);
            deltas.added(r, process);
            return r;
        }, processes);
        // one delta per owner, process and month of the batch, in the batch's transaction
        deltas.write(c);
        return batch.size();
    }

    /** Writes the rows of opportunities whose ids are free (never stored, or deleted in this transaction). */
    private void writeRows(Connection c, List<Opportunity> batch, Function<Opportunity, Object[]> row,
            Map<String, SalesProcess> processes) throws SQLException {
        Optional<PgBulkLoad> lifted = batch.size() >= BULK_THRESHOLD && copies(c)
                ? PgBulkLoad.lift(c, OpportunityRows.OPPORTUNITY.name(), childTables(), batch.size())
                : Optional.empty();
        write(c, OpportunityRows.OPPORTUNITY, new BatchRows(batch, o -> List.<Object[]>of(row.apply(o))));
        insertChildren(c, batch, processes);
        if (lifted.isPresent()) {
            lifted.get().restore(c);
        }
    }

    /**
     * Attempts of an upsert that met an id a concurrent writer inserted after the upsert read it.
     * PostgreSQL makes the second insert wait for the first writer's commit, so one more attempt
     * sees the row; H2 refuses at once while the first writer is still open, so attempts are
     * spaced by a growing pause (5, 10, 20, ... ms, about 1.3 s in all).
     */
    private static final int UPSERT_ATTEMPTS = 8;
    /** Ids per statement when an upsert reads or deletes stored rows (within every database's parameter limit). */
    private static final int UPSERT_CHUNK = 500;

    @Override
    public UpsertResult upsertAll(Collection<Opportunity> opportunities, UpsertMode mode) {
        List<Opportunity> batch = List.copyOf(Objects.requireNonNull(opportunities, "opportunities"));
        Objects.requireNonNull(mode, "mode");
        if (batch.isEmpty()) {
            return new UpsertResult(0, 0, 0, List.of());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                UpsertResult result = db.inTransaction("upserting " + batch.size() + " opportunities",
                        c -> upsert(c, batch, mode));
                afterLoad((int) result.written());
                return result;
            } catch (StorageException e) {
                // An id was free when read and taken when written: the transaction rolled back,
                // so decide the whole batch again against the row now stored.
                if (attempt == UPSERT_ATTEMPTS
                        || !(e.getCause() instanceof SQLException s && db.dialect().isUniqueViolation(s))) {
                    throw e;
                }
                LOG.debug("upsert of {} opportunities met an id inserted concurrently; attempt {}", batch.size(),
                        attempt + 1);
                try {
                    Thread.sleep(5L << (attempt - 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A stored row as an upsert reads it: its version, content fingerprint and contribution. */
    private record Stored(long version, Long contentHi, Long contentLo, MaintainedFunnel.State state) {
    }

    private UpsertResult upsert(Connection c, List<Opportunity> batch, UpsertMode mode) throws SQLException {
        Map<String, SalesProcess> processes = processes(c, null);
        BatchCheck.ofUpsert(batch, id -> Optional.ofNullable(processes.get(id.value()))).requireAllValid();
        Map<String, Stored> stored = lockStored(c, batch);
        MaintainedFunnel.Deltas deltas = maintained.deltas();
        Map<String, Object[]> rows = new HashMap<>();
        boolean[] sameContent = new boolean[batch.size()];
        // the fingerprint leaves the field history out: the stored history is read where it
        // decides (a given history against an otherwise unchanged copy) or goes on (a given
        // opportunity without one replacing the stored copy)
        List<String> historyOf = new ArrayList<>();
        List<String> valuesOf = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Opportunity given = batch.get(i);
            String id = given.id().value();
            Stored old = stored.get(id);
            Object[] row = OpportunityRows.opportunityRow(given, processes.get(given.processId().value()),
                    (old == null ? 0 : old.version()) + 1, zone);
            rows.put(id, row);
            sameContent[i] = old != null && old.contentHi() != null
                    && old.contentHi().equals(row[row.length - 2]) && old.contentLo().equals(row[row.length - 1]);
            if (old != null && given.changes().isEmpty() != sameContent[i]) {
                historyOf.add(id);
                if (!sameContent[i]) {
                    valuesOf.add(id);
                }
            }
        }
        Map<String, List<FieldChange>> storedHistory = storedChanges(c, historyOf);
        Map<String, Map<TrackedField, Object>> storedValues = trackedValues(c, valuesOf);
        Instant now = Instant.now();
        List<Opportunity> writes = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<UpsertConflict> conflicts = new ArrayList<>();
        long inserted = 0;
        long unchanged = 0;
        for (int i = 0; i < batch.size(); i++) {
            Opportunity given = batch.get(i);
            String id = given.id().value();
            Stored old = stored.get(id);
            long storedVersion = old == null ? 0 : old.version();
            SalesProcess process = processes.get(given.processId().value());
            Object[] row = rows.get(id);
            boolean same = sameContent[i]
                    && (given.changes().isEmpty() || given.changes().equals(storedHistory.getOrDefault(id, List.of())));
            switch (mode.decide(given.version(), storedVersion, same)) {
                case INSERT -> inserted++;
                case UPDATE -> {
                    replaced.add(id);
                    deltas.removed(c, old.state(), processes);
                    if (given.changes().isEmpty()) {
                        given = given.continuingHistory(storedHistory.getOrDefault(id, List.of()),
                                storedValues.get(id), now);
                    }
                }
                case UNCHANGED -> {
                    unchanged++;
                    continue;
                }
                case CONFLICT -> {
                    conflicts.add(new UpsertConflict(i, given.id(), given.version(), storedVersion));
                    continue;
                }
            }
            deltas.added(row, process);
            writes.add(given);
        }
        // a replaced opportunity is deleted with its child rows and written again whole, so
        // inserts and updates share one bulk path (COPY on PostgreSQL)
        for (int from = 0; from < replaced.size(); from += UPSERT_CHUNK) {
            List<String> part = replaced.subList(from, Math.min(replaced.size(), from + UPSERT_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM crm_opportunity WHERE id IN ("
                    + String.join(", ", java.util.Collections.nCopies(part.size(), "?")) + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                int deleted = ps.executeUpdate();
                if (deleted != part.size()) {
                    // the rows are locked since they were read: only a broken lock gets here
                    throw new IllegalStateException("an upsert deleted " + deleted + " of the " + part.size()
                            + " locked rows it replaces");
                }
            }
        }
        writeRows(c, writes, o -> rows.get(o.id().value()), processes);
        deltas.write(c);
        return new UpsertResult(inserted, replaced.size(), unchanged, conflicts);
    }

    /** The stored field history of some opportunities, by id (none: absent). */
    private static Map<String, List<FieldChange>> storedChanges(Connection c, List<String> ids) throws SQLException {
        Map<String, List<FieldChange>> out = new HashMap<>();
        Table t = OpportunityRows.CHILDREN.get(OpportunityRows.CHANGES).table();
        for (int from = 0; from < ids.size(); from += UPSERT_CHUNK) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + UPSERT_CHUNK));
            new SqlBuilder().sql("SELECT " + String.join(", ", t.columns()) + " FROM " + t.name() + " WHERE ")
                    .in("opp_id", part).sql(" ORDER BY opp_id, pos")
                    .forEachRow(c, UPSERT_CHUNK, rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add((FieldChange) OpportunityRows.child(OpportunityRows.CHANGES, rs)));
        }
        return out;
    }

    /** The stored values of the tracked fields of some opportunities, by id. */
    private static Map<String, Map<TrackedField, Object>> trackedValues(Connection c, List<String> ids)
            throws SQLException {
        Map<String, Map<TrackedField, Object>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += UPSERT_CHUNK) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + UPSERT_CHUNK));
            new SqlBuilder().sql("SELECT id, " + OpportunityRows.TRACKED_COLUMNS + " FROM crm_opportunity WHERE ")
                    .in("id", part)
                    .forEachRow(c, UPSERT_CHUNK, rs -> out.put(rs.getString(1), OpportunityRows.trackedValues(rs, 2)));
        }
        return out;
    }

    /**
     * Reads the stored rows of a batch's ids, locked until the transaction ends (SQLite has one
     * writer at a time and no {@code FOR UPDATE}); in id order, so two upserts of overlapping
     * batches lock in one order and wait for each other instead of deadlocking.
     */
    private Map<String, Stored> lockStored(Connection c, List<Opportunity> batch) throws SQLException {
        List<String> ids = new ArrayList<>(batch.size());
        for (Opportunity o : batch) {
            ids.add(o.id().value());
        }
        java.util.Collections.sort(ids);
        String lock = db.dialect() == org.crmkit.jdbc.Dialect.SQLITE ? "" : " FOR UPDATE";
        Map<String, Stored> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += UPSERT_CHUNK) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + UPSERT_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT id, version, content_hi, content_lo, "
                    + MaintainedFunnel.COLUMNS + " FROM crm_opportunity WHERE id IN ("
                    + String.join(", ", java.util.Collections.nCopies(part.size(), "?")) + ") ORDER BY id" + lock)) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long hi = rs.getLong(3);
                        Long contentHi = rs.wasNull() ? null : hi;
                        long lo = rs.getLong(4);
                        Long contentLo = rs.wasNull() ? null : lo;
                        out.put(rs.getString(1), new Stored(rs.getLong(2), contentHi, contentLo,
                                MaintainedFunnel.State.read(rs, 5)));
                    }
                }
            }
        }
        return out;
    }

    private static BatchCheck<Opportunity> check(List<Opportunity> batch, Map<String, SalesProcess> processes,
            java.util.function.Predicate<OpportunityId> stored) {
        return BatchCheck.ofInsert(batch, id -> Optional.ofNullable(processes.get(id.value())), stored);
    }

    /** The ids of a batch that are stored, looked up in chunks that fit every database's parameter limit. */
    private static Set<String> storedIds(Connection c, List<Opportunity> batch) throws SQLException {
        Set<String> out = new HashSet<>();
        int chunk = 500;
        for (int from = 0; from < batch.size(); from += chunk) {
            List<Opportunity> part = batch.subList(from, Math.min(batch.size(), from + chunk));
            String sql = "SELECT id FROM crm_opportunity WHERE id IN ("
                    + String.join(", ", java.util.Collections.nCopies(part.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i).id().value());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> childTables() {
        return OpportunityRows.CHILDREN.stream().map(child -> child.table().name()).toList();
    }

    private boolean copies(Connection c) {
        return db.dialect().supportsCopy() && PgCopy.usable(c);
    }

    /**
     * The number of opportunity rows PostgreSQL's planner statistics were last gathered for
     * ({@code pg_class.reltuples}; 0 when never gathered, and on the other databases, so they
     * refresh after every large load as before).
     */
    private long analysedRows() {
        if (!db.dialect().supportsCopy()) {
            return 0;
        }
        try {
            return db.read("reading the planner's row estimate", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid ="
                        + " to_regclass('crm_opportunity')"); ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Math.max(0, (long) rs.getDouble(1)) : 0L;
                }
            });
        } catch (StorageException e) {
            return 0;
        }
    }

    private void refreshStatistics() {
        List<String> tables = new ArrayList<>();
        tables.add(OpportunityRows.OPPORTUNITY.name());
        tables.addAll(childTables());
        List<String> statements = db.dialect().refreshStatisticsSql(tables);
        if (statements.isEmpty()) {
            return;
        }
        db.inTransaction("refreshing statistics after a bulk load", c -> {
            try (java.sql.Statement st = c.createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
            }
            return null;
        });
    }

    private void insertChildren(Connection c, List<Opportunity> opps, Map<String, SalesProcess> processes)
            throws SQLException {
        for (OpportunityRows.Child child : OpportunityRows.CHILDREN) {
            write(c, child.table(), new BatchRows(opps, o -> OpportunityRows.childRows(child, o,
                    processes.get(o.processId().value()))));
        }
    }

    /**
     * The rows of one table for a list of opportunities, made one opportunity at a time
     * (a stream per opportunity, seven per opportunity in a bulk load, showed up in profiles).
     */
    private static final class BatchRows implements Iterator<Object[]> {
        private final Iterator<Opportunity> opps;
        private final Function<Opportunity, List<Object[]>> rowsOf;
        private List<Object[]> rows = List.of();
        private int next;

        BatchRows(List<Opportunity> opps, Function<Opportunity, List<Object[]>> rowsOf) {
            this.opps = opps.iterator();
            this.rowsOf = rowsOf;
        }

        @Override
        public boolean hasNext() {
            while (next == rows.size()) {
                if (!opps.hasNext()) {
                    return false;
                }
                rows = rowsOf.apply(opps.next());
                next = 0;
            }
            return true;
        }

        @Override
        public Object[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return rows.get(next++);
        }
    }

    private void write(Connection c, Table table, Iterator<Object[]> rows) throws SQLException {
        if (!rows.hasNext()) {
            return;
        }
        if (copies(c)) {
            PgCopy.copy(c, table, rows);
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(table.insertSql())) {
            int pending = 0;
            while (rows.hasNext()) {
                table.bind(ps, 0, rows.next(), 0);
                ps.addBatch();
                if (++pending == batchSize) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    @Override
    public Optional<Opportunity> findById(OpportunityId id) {
        Objects.requireNonNull(id, "id");
        return db.snapshot("reading opportunity " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OpportunityRows.SELECT_COLUMNS
                    + " FROM crm_opportunity WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Map<String, Opportunity.Builder> one = Map.of(id.value(), OpportunityRows.read(rs));
                    return Optional.of(complete(c, one).get(0));
                }
            }
        });
    }

    @Override
    public Optional<org.crmkit.core.ManagerId> ownerOf(OpportunityId id) {
        Objects.requireNonNull(id, "id");
        return db.read("reading the owner of opportunity " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT owner_id FROM crm_opportunity WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(org.crmkit.core.ManagerId.of(rs.getString(1)))
                            : Optional.<org.crmkit.core.ManagerId>empty();
                }
            }
        });
    }

    /**
     * Reads the children of some opportunities and builds them.
     *
     * @param c the connection
     * @param heads the builders by id, in the order to return
     * @return the opportunities
     * @throws SQLException on a database error
     */
    static List<Opportunity> complete(Connection c, Map<String, Opportunity.Builder> heads) throws SQLException {
        return complete(c, heads, false);
    }

    /**
     * Reads the children of some opportunities, or only those a funnel reads, and builds them.
     *
     * @param c the connection
     * @param heads the builders by id, in the order to return
     * @param funnelOnly whether to read only the transitions and the field history (the rest
     *     of the child tables is left empty: contacts, competitors, leads, product lines, steps
     *     and timeline are in no funnel figure)
     * @return the opportunities
     * @throws SQLException on a database error
     */
    private static List<Opportunity> complete(Connection c, Map<String, Opportunity.Builder> heads,
            boolean funnelOnly) throws SQLException {
        OpportunityRows.Children children = new OpportunityRows.Children();
        String in = heads.keySet().stream().map(k -> "?").collect(Collectors.joining(", ", "(", ")"));
        for (int t = 0; t < OpportunityRows.CHILDREN.size(); t++) {
            if (funnelOnly && t != OpportunityRows.TRANSITIONS && t != OpportunityRows.CHANGES) {
                continue;
            }
            Table table = OpportunityRows.CHILDREN.get(t).table();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", table.columns()) + " FROM "
                    + table.name() + " WHERE opp_id IN " + in + " ORDER BY opp_id, pos")) {
                int i = 1;
                for (String id : heads.keySet()) {
                    ps.setString(i++, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        children.add(t, rs);
                    }
                }
            }
        }
        List<Opportunity> out = new ArrayList<>(heads.size());
        for (Map.Entry<String, Opportunity.Builder> e : heads.entrySet()) {
            out.add(children.complete(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * Hands over, in id order, the opportunities of a process created by an instant
     * whose tracked values changed after it ({@code last_change} after it, schema version 10):
     * the deals a figure as of that instant must reconstruct from their field history (one
     * created later is in no figure as of it). Read in the caller's
     * transaction, through the index on {@code last_change_s}, {@value #SCOPE_CHUNK} at a time
     * with their child rows looked up by id, so memory stays bounded.
     *
     * @param c the connection, in the caller's transaction
     * @param processId the process
     * @param after the instant, exclusive
     * @param fetchSize rows per round trip
     * @param whole whether to read every child table (a custom filter may read any field), else
     *     only the transitions and the field history, which with the row are all a funnel reads
     *     (two look-ups per chunk instead of eight)
     * @param sink receives each opportunity
     * @throws SQLException on a database error
     */
    static void forEachChangedAfter(Connection c, String processId, Instant after, int fetchSize, boolean whole,
            java.util.function.Consumer<Opportunity> sink) throws SQLException {
        // the first term lets the database range-scan the index; the second is the exact test
        SqlBuilder b = new SqlBuilder().sql("SELECT " + OpportunityRows.SELECT_COLUMNS
                + " FROM crm_opportunity o WHERE o.process_id = ").param(processId)
                .sql(" AND o.last_change_s >= ").param(after.getEpochSecond())
                .sql(" AND ").after("o.last_change", after).sql(" AND ").notAfter("o.created", after)
                .sql(" ORDER BY o.id");
        Map<String, Opportunity.Builder> chunk = new java.util.LinkedHashMap<>();
        b.forEachRow(c, fetchSize, rs -> {
            chunk.put(rs.getString(1), OpportunityRows.read(rs));
            if (chunk.size() == SCOPE_CHUNK) {
                complete(c, chunk, !whole).forEach(sink);
                chunk.clear();
            }
        });
        if (!chunk.isEmpty()) {
            complete(c, chunk, !whole).forEach(sink);
        }
    }

    @Override
    public void delete(OpportunityId id, long expectedVersion) {
        Objects.requireNonNull(id, "id");
        db.inTransaction("deleting opportunity " + id, c -> {
            MaintainedFunnel.Deltas deltas = maintained.deltas();
            // as in update: only the row read and locked at the expected version may be deleted,
            // never one inserted under the same id after that read found none
            long read = deltas.removed(c, id.value(), expectedVersion, Map.of());
            if (read < 0) {
                throw new NotFoundException("opportunity", id);
            }
            if (read != expectedVersion) {
                throw new ConcurrentUpdateException("opportunity", id, expectedVersion, read);
            }
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM crm_opportunity WHERE id = ? AND version = ?")) {
                ps.setString(1, id.value());
                ps.setLong(2, expectedVersion);
                deleted = ps.executeUpdate();
            }
            if (deleted == 0) {
                long stored = storedVersion(c, id.value());
                if (stored < 0) {
                    throw new NotFoundException("opportunity", id);
                }
                throw new ConcurrentUpdateException("opportunity", id, expectedVersion, stored);
            }
            deltas.write(c);
            return null;
        });
        maintained.afterWrite();
    }

    /**
     * The WHERE clause of a query over crm_opportunity, with its parameters.
     *
     * @param query the selection
     * @param params receives the parameters in order
     * @return the clause, empty or starting with " WHERE"
     */
    public static String where(OpportunityQuery query, List<Object> params) {
        List<String> terms = new ArrayList<>();
        if (!query.owners().isEmpty()) {
            List<String> owners = query.owners().stream().map(ManagerId::value).sorted().toList();
            terms.add("owner_id IN " + owners.stream().map(o -> "?").collect(Collectors.joining(", ", "(", ")")));
            params.addAll(owners);
        }
        query.processId().ifPresent(p -> {
            terms.add("process_id = ?");
            params.add(p.value());
        });
        if (!query.statuses().isEmpty()) {
            List<String> statuses = query.statuses().stream().map(OpportunityStatus::name).sorted().toList();
            terms.add("status IN " + statuses.stream().map(s -> "?").collect(Collectors.joining(", ", "(", ")")));
            params.addAll(statuses);
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    @Override
    public Stream<Opportunity> stream(OpportunityQuery query) {
        Objects.requireNonNull(query, "query");
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        List<String> sql = new ArrayList<>();
        sql.add("SELECT " + OpportunityRows.SELECT_COLUMNS + " FROM crm_opportunity" + where + " ORDER BY id");
        if (where.isEmpty()) {
            // the whole store: each child table read once in opportunity order, merged in step
            for (OpportunityRows.Child child : OpportunityRows.CHILDREN) {
                Table t = child.table();
                sql.add("SELECT " + String.join(", ", t.columns()) + " FROM " + t.name() + " ORDER BY opp_id, pos");
            }
        }
        // A scope reads its children by the ids of each chunk of opportunities instead: a child
        // select filtered through a join on the scope was planned as a full scan of every child
        // table plus a sort (measured on PostgreSQL at 200k: 0.44 s of server time for a tenth of
        // the managers, as much as the whole store), where an id look-up reads only the scope's.
        return new Cursor(db, sql, params, fetchSize).stream();
    }

    @Override
    public long count(OpportunityQuery query) {
        Objects.requireNonNull(query, "query");
        List<Object> params = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM crm_opportunity" + where(query, params);
        return db.read("counting opportunities", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 1, (String) params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Opportunities per chunk whose children a scoped stream looks up together. */
    private static final int SCOPE_CHUNK = 500;

    /**
     * A streaming read: one connection in a repeatable-read transaction. For the whole store,
     * eight cursors read in step (the opportunities by id, each child table by opportunity id
     * and position), so rows are merged as they arrive with a fixed number of queries; for a
     * scope, one cursor of the opportunities and, per chunk of {@value #SCOPE_CHUNK} of them, one
     * look-up of their rows in each child table. Memory stays bounded either way. Closing the
     * stream ends the transaction and returns the connection.
     */
    private static final class Cursor implements Iterator<Opportunity> {
        private final Connection connection;
        private final boolean autoCommit;
        private final int isolation;
        private final List<PreparedStatement> statements = new ArrayList<>();
        private final ResultSet[] results;
        private final boolean[] pending;
        private Opportunity next;

        Cursor(Db db, List<String> sql, List<Object> params, int fetchSize) {
            Connection c = db.connect("streaming opportunities");
            results = new ResultSet[sql.size()];
            pending = new boolean[sql.size()];
            try {
                autoCommit = c.getAutoCommit();
                isolation = c.getTransactionIsolation();
                // a fetch size streams only inside a transaction; repeatable read gives every
                // cursor the same snapshot, so children always match their opportunity
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                for (int q = 0; q < sql.size(); q++) {
                    PreparedStatement ps = c.prepareStatement(sql.get(q), ResultSet.TYPE_FORWARD_ONLY,
                            ResultSet.CONCUR_READ_ONLY);
                    statements.add(ps);
                    ps.setFetchSize(fetchSize);
                    for (int i = 0; i < params.size(); i++) {
                        ps.setString(i + 1, (String) params.get(i));
                    }
                    results[q] = ps.executeQuery();
                    pending[q] = q > 0 && results[q].next();
                }
            } catch (SQLException e) {
                StorageException failure = (StorageException) Db.translate("streaming opportunities", e);
                release(c, failure);
                throw failure;
            }
            connection = c;
        }

        private void release(Connection c, Throwable failure) {
            try (c) {
                for (PreparedStatement ps : statements) {
                    ps.close();
                }
                c.rollback();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        Stream<Opportunity> stream() {
            Iterable<Opportunity> iterable = () -> this;
            return java.util.stream.StreamSupport.stream(iterable.spliterator(), false).onClose(this::close);
        }

        private final java.util.ArrayDeque<Opportunity> chunk = new java.util.ArrayDeque<>();

        /** A scope's next chunk: up to {@value #SCOPE_CHUNK} opportunities with their children looked up by id. */
        private boolean nextChunk() throws SQLException {
            ResultSet heads = results[0];
            Map<String, Opportunity.Builder> builders = new java.util.LinkedHashMap<>();
            while (builders.size() < SCOPE_CHUNK && heads.next()) {
                builders.put(heads.getString(1), OpportunityRows.read(heads));
            }
            if (builders.isEmpty()) {
                return false;
            }
            chunk.addAll(complete(connection, builders));
            return true;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            try {
                if (results.length == 1) {
                    if (chunk.isEmpty() && !nextChunk()) {
                        return false;
                    }
                    next = chunk.poll();
                    return true;
                }
                ResultSet heads = results[0];
                if (!heads.next()) {
                    return false;
                }
                String id = heads.getString(1);
                Opportunity.Builder b = OpportunityRows.read(heads);
                List<?>[] children = new List<?>[results.length - 1];
                // both sides are ordered by the database on the same column, so equality is
                // enough to merge: a child row of another id belongs to a later opportunity
                for (int q = 1; q < results.length; q++) {
                    ResultSet rs = results[q];
                    List<Object> mine = null;
                    while (pending[q] && id.equals(rs.getString(1))) {
                        if (mine == null) {
                            mine = new ArrayList<>(4);
                        }
                        mine.add(OpportunityRows.child(q - 1, rs));
                        pending[q] = rs.next();
                    }
                    children[q - 1] = mine == null ? List.of() : mine;
                }
                next = OpportunityRows.complete(b, children);
                return true;
            } catch (SQLException e) {
                throw Db.translate("streaming opportunities", e);
            }
        }

        @Override
        public Opportunity next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Opportunity out = next;
            next = null;
            return out;
        }

        void close() {
            Connection c = connection;
            try {
                for (PreparedStatement ps : statements) {
                    ps.close();
                }
                c.commit();
            } catch (SQLException e) {
                // the read-only transaction could not end: never restore auto-commit on it
                Db.discard(c);
                throw Db.translate("closing an opportunity stream", e);
            }
            try (c) {
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                throw Db.translate("closing an opportunity stream", e);
            }
        }
    }
}
