package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StorageException;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.AnswerPath;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.jdbc.AggregateDifference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The funnel aggregates the store keeps up to date on every write (migration V7), so the
 * questions a dashboard repeats (the funnel of every unit as of now, and of any run of whole
 * creation months) cost O(owners) instead of a scan of every opportunity.
 *
 * <h2>What is kept</h2>
 * An opportunity's <em>contribution</em> is the {@link FunnelStats} of its end state (every
 * transition in effect: the state any query sees once its instant is at or after the store's
 * latest transition), with the win/loss tables, under each counting policy; it is computed from
 * the derived columns of its row by {@link JdbcFunnelSource#addState}, the same code that adds
 * the grouped rows of a scan. Contributions are summed per owner, process and month of
 * creation (in the store's zone), and per owner and process over all months.
 *
 * <h2>How writes keep it</h2>
 * In the write's own transaction, the store appends to {@code crm_agg_delta} the contribution of
 * the new state (sign 1) and of the old one read from the row before it changes (sign -1): an
 * insert appends one row, an update two, a delete one, a batch of fewer than {@value #FOLD_INLINE}
 * one per owner, process and month. A larger batch folds its contribution straight into the
 * compacted rows under the {@code aggregates} turn (deltas would be about as many rows as the
 * batch, written, read back and deleted again).
 * Writers only insert, so writers of the same owner or unit never wait for each other, never
 * deadlock, and no contribution is lost to a lost update; a rolled-back write leaves no delta.
 * Compaction ({@link #compact}) folds committed deltas into {@code crm_agg} and deletes exactly
 * the deltas it read, under the {@code aggregates} turn of {@code crm_write_lock}; a reader adds
 * the compacted rows and the pending deltas in one repeatable-read snapshot, so it sees every
 * committed write once whether or not it was compacted yet. A store compacts after every
 * {@value #COMPACT_AFTER} deltas it wrote, after the write has committed.
 *
 * <h2>When it answers</h2>
 * A query with no activity window, no filter, no buckets, at most
 * {@value DerivedColumns#STAGE_TIME_COLUMNS} open stages, creation bounds that are absent or
 * month starts in the store's zone, and an instant after the store's latest transition and its
 * latest change of a tracked value (before it, some deal counts with other values); else the
 * grouped scan answers. The answer states {@link AnswerPath#MAINTAINED}.
 */
public final class MaintainedFunnel {
    private static final Logger LOG = LoggerFactory.getLogger(MaintainedFunnel.class);
    /** The month key of the whole book (every creation month). */
    static final int ALL_MONTHS = 0;
    /** Deltas one store writes before it compacts. */
    static final int COMPACT_AFTER = 2_000;
    /** Opportunities from which a write folds into the compacted rows instead of appending deltas. */
    static final int FOLD_INLINE = 1_000;
    /** The row columns a contribution is computed from, in the order {@link State#read} reads them. */
    static final String COLUMNS;

    static {
        StringBuilder b = new StringBuilder("owner_id, process_id, currency, probability, close_reason, close_winner,"
                + " stage_index, furthest_open_index, entered_mask, amount_minor, revenue_minor, created_s,"
                + " last_transition_s");
        for (int s = 0; s < DerivedColumns.STAGE_TIME_COLUMNS; s++) {
            b.append(", stage_s_").append(s);
        }
        COLUMNS = b.toString();
    }

    private final Db db;
    private final ZoneId zone;
    private final boolean maintain;
    private final AtomicLong written = new AtomicLong();

    /**
     * Creates the maintenance of a store.
     *
     * @param db the database
     * @param zone the store's zone: the months of creation are taken in it
     * @param maintain whether this store keeps the aggregates (else its writes mark them stale)
     */
    public MaintainedFunnel(Db db, ZoneId zone, boolean maintain) {
        this.db = db;
        this.zone = zone;
        this.maintain = maintain;
    }

    /**
     * Whether this store keeps the aggregates on its writes.
     *
     * @return true when it does
     */
    public boolean maintains() {
        return maintain;
    }

    /** The state of one opportunity row that its contribution depends on. */
    record State(String owner, String process, String currency, int probability, String reason, String winner,
            int stage, int furthest, long enteredMask, long amount, Long revenue, long createdS, long lastS,
            Long[] stageSeconds) {
        /** The state of a row about to be written ({@link OpportunityRows#OPPORTUNITY} column order). */
        static State of(Object[] row) {
            List<String> cols = OpportunityRows.OPPORTUNITY.columns();
            Long[] stageS = new Long[DerivedColumns.STAGE_TIME_COLUMNS];
            int first = cols.indexOf("stage_s_0");
            for (int s = 0; s < stageS.length; s++) {
                stageS[s] = (Long) row[first + s];
            }
            Long amount = (Long) row[Col.AMOUNT];
            return new State((String) row[Col.OWNER], (String) row[Col.PROCESS], (String) row[Col.CURRENCY],
                    (Integer) row[Col.PROBABILITY], (String) row[Col.REASON], (String) row[Col.WINNER],
                    (Integer) row[Col.STAGE], (Integer) row[Col.FURTHEST], (Long) row[Col.MASK],
                    amount == null ? 0 : amount, (Long) row[Col.REVENUE], (Long) row[Col.CREATED],
                    (Long) row[Col.LAST], stageS);
        }

        /** The state of a stored row, selected with {@link #COLUMNS} from position {@code at}. */
        static State read(ResultSet rs, int at) throws SQLException {
            Long[] stageS = new Long[DerivedColumns.STAGE_TIME_COLUMNS];
            for (int s = 0; s < stageS.length; s++) {
                long v = rs.getLong(at + 13 + s);
                stageS[s] = rs.wasNull() ? null : v;
            }
            long amount = rs.getLong(at + 9);
            long revenue = rs.getLong(at + 10);
            Long rev = rs.wasNull() ? null : revenue;
            return new State(rs.getString(at), rs.getString(at + 1), rs.getString(at + 2), rs.getInt(at + 3),
                    rs.getString(at + 4), rs.getString(at + 5), rs.getInt(at + 6), rs.getInt(at + 7),
                    rs.getLong(at + 8), amount, rev, rs.getLong(at + 11), rs.getLong(at + 12), stageS);
        }
    }

    /** Positions of the state's columns in a row of {@link OpportunityRows#OPPORTUNITY}. */
    private static final class Col {
        static final int OWNER = at("owner_id");
        static final int PROCESS = at("process_id");
        static final int CURRENCY = at("currency");
        static final int PROBABILITY = at("probability");
        static final int REASON = at("close_reason");
        static final int WINNER = at("close_winner");
        static final int STAGE = at("stage_index");
        static final int FURTHEST = at("furthest_open_index");
        static final int MASK = at("entered_mask");
        static final int AMOUNT = at("amount_minor");
        static final int REVENUE = at("revenue_minor");
        static final int CREATED = at("created_s");
        static final int LAST = at("last_transition_s");

        private static int at(String column) {
            int i = OpportunityRows.OPPORTUNITY.columns().indexOf(column);
            if (i < 0) {
                throw new IllegalStateException("no column " + column);
            }
            return i;
        }
    }

    /** Where a contribution is summed: an owner's opportunities of a process created in a month. */
    record Key(String owner, String process, int month) {
    }

    /** The month key (yyyymm) of a creation instant in a zone. */
    static int month(long createdSecond, ZoneId zone) {
        LocalDate d = LocalDate.ofInstant(Instant.ofEpochSecond(createdSecond), zone);
        return d.getYear() * 100 + d.getMonthValue();
    }

    /** The contribution of one state under both policies: [LINEAR, STRICT]. */
    static FunnelStats.Builder[] contribution(State s, int n, FunnelStats.Builder[] into,
            Map<String, CurrencyUnit> currencies) {
        CurrencyUnit currency = currencies.computeIfAbsent(s.currency, Amounts::currency);
        long amount = s.amount;
        long revenue = s.stage == n ? (s.revenue != null ? s.revenue : amount) : 0;
        String reason = s.stage >= n ? s.reason : null;
        String winner = s.stage == n + 1 ? s.winner : null;
        long linearMask = s.furthest < 0 ? 0 : 1L << s.furthest;
        long weighted = Math.multiplyExact(amount, (long) s.probability);
        boolean won = s.stage == n;
        long[] masks = {linearMask, s.enteredMask};
        CountingPolicy[] policies = {CountingPolicy.LINEAR, CountingPolicy.STRICT};
        for (int p = 0; p < 2; p++) {
            FunnelStats.Builder b = into[p];
            JdbcFunnelSource.addState(b, n, policies[p].reachedMask(masks[p], won, n), s.stage >= n, true, currency,
                    s.stage, masks[p], 1, amount, weighted, revenue, reason, winner);
            for (int st = 0; st < Math.min(n, DerivedColumns.STAGE_TIME_COLUMNS); st++) {
                if (s.stageSeconds[st] != null) {
                    b.addDuration(Duration.TIME_IN_STAGE, st, s.stageSeconds[st]);
                }
            }
            if (s.stage >= n) {
                long cycle = Math.max(0, s.lastS - s.createdS);
                b.addDuration(Duration.CYCLE, 0, cycle);
                if (won) {
                    b.addDuration(Duration.WON_CYCLE, 0, cycle);
                }
            }
        }
        return into;
    }

    /**
     * The deltas of one write transaction, summed per key and sign before they are written, so a
     * batch of 100k opportunities appends one delta per owner, process and month.
     */
    public final class Deltas {
        private final Map<String, Integer> openStages = new HashMap<>();
        private final Map<Key, FunnelStats.Builder[]> plus = new LinkedHashMap<>();
        private final Map<Key, FunnelStats.Builder[]> minus = new LinkedHashMap<>();
        private final Map<String, CurrencyUnit> currencies = new HashMap<>();
        private int states;

        private Deltas() {
        }

        /**
         * Adds the contribution of a state (sign 1) or takes it back (sign -1).
         *
         * @param s the state
         * @param process its process
         * @param sign 1 or -1
         */
        void add(State s, SalesProcess process, int sign) {
            int n = process.openStageCount();
            openStages.put(s.process, n);
            states++;
            Key k = new Key(s.owner, s.process, month(s.createdS, zone));
            FunnelStats.Builder[] bs = (sign > 0 ? plus : minus).computeIfAbsent(k,
                    x -> new FunnelStats.Builder[] {FunnelStats.builder(n), FunnelStats.builder(n)});
            contribution(s, n, bs, currencies);
        }

        /**
         * Adds the contribution of a row about to be written.
         *
         * @param row the row ({@link OpportunityRows#OPPORTUNITY} order)
         * @param process its process
         */
        public void added(Object[] row, SalesProcess process) {
            if (maintain && process.openStageCount() <= DerivedColumns.STAGE_TIME_COLUMNS) {
                add(State.of(row), process, 1);
            }
        }

        /**
         * Takes back the contribution of a stored row about to change or go, read in the caller's
         * transaction before the change and locked until it ends (so it is the state the change
         * replaces), and tells the caller whether the change may go ahead: only when the row was
         * read at the expected version. Otherwise the caller must fail without running its change.
         *
         * <p>Why the caller may not leave that to the change's own {@code WHERE id = ? AND version
         * = ?}: when this read finds no row (deleted, or deleted while this read waited for its
         * lock), nothing is locked, and another writer can insert the same id at version 1 before
         * the change runs. Under READ COMMITTED the change's statement sees that new row and
         * matches it, so the change would replace (or delete) a row whose contribution was never
         * taken back: a contribution counted twice, or one left behind by a deleted row.
         *
         * @param c the connection, in the write's transaction
         * @param id the opportunity id
         * @param version the version the change expects
         * @param known processes already loaded, by id; others are read
         * @return the version the row had when it was read and locked, {@code -1} when there was
         *     no row; {@code version} itself when this store does not maintain the aggregates
         *     (nothing is read, and the change's own version check decides)
         * @throws SQLException on a database error
         */
        public long removed(Connection c, String id, long version, Map<String, SalesProcess> known)
                throws SQLException {
            if (!maintain) {
                return version;
            }
            // SQLite has one writer at a time and no FOR UPDATE
            String lock = db.dialect() == org.crmkit.jdbc.Dialect.SQLITE ? "" : " FOR UPDATE";
            State s;
            // by id alone, so a row at another version is reported as what the conflict met
            try (PreparedStatement ps = c.prepareStatement("SELECT version, " + COLUMNS
                    + " FROM crm_opportunity WHERE id = ?" + lock)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return -1;
                    }
                    long stored = rs.getLong(1);
                    if (stored != version) {
                        return stored;
                    }
                    s = State.read(rs, 2);
                }
            }
            removed(c, s, known);
            return version;
        }

        /**
         * Takes back the contribution of a stored state the caller read (with {@link #COLUMNS},
         * the row locked until its transaction ends) and is about to replace or delete.
         *
         * @param c the connection, in the write's transaction
         * @param s the stored state
         * @param known processes already loaded, by id; others are read
         * @throws SQLException on a database error
         */
        void removed(Connection c, State s, Map<String, SalesProcess> known) throws SQLException {
            if (!maintain) {
                return;
            }
            SalesProcess p = known.get(s.process);
            if (p == null) {
                p = JdbcProcesses.load(c, s.process).stream().findFirst().orElse(null);
            }
            if (p != null && p.openStageCount() <= DerivedColumns.STAGE_TIME_COLUMNS) {
                add(s, p, -1);
            }
        }

        /**
         * Appends the deltas in the caller's transaction (or, for a store that does not
         * maintain, marks the aggregates stale there).
         *
         * @param c the connection, in the write's transaction
         * @throws SQLException on a database error
         */
        public void write(Connection c) throws SQLException {
            if (!maintain) {
                markStale(c);
                return;
            }
            if (states >= FOLD_INLINE) {
                fold(c);
                return;
            }
            List<Object[]> rows = new ArrayList<>();
            rows(rows, minus, -1);
            rows(rows, plus, 1);
            insertRows(c, "crm_agg_delta (owner_id, process_id, created_month, delta_sign, open_stages, linear_stats,"
                    + " strict_stats)", rows);
            written.addAndGet(rows.size());
        }

        private void rows(List<Object[]> rows, Map<Key, FunnelStats.Builder[]> sums, int sign) {
            for (Map.Entry<Key, FunnelStats.Builder[]> e : sums.entrySet()) {
                Key k = e.getKey();
                rows.add(new Object[] {k.owner, k.process, k.month, sign, openStages.get(k.process),
                    e.getValue()[0].build().toBytes(), e.getValue()[1].build().toBytes()});
            }
        }

        /**
         * A batch folds its contribution straight into the compacted rows, under the aggregates
         * turn for the rest of its transaction: a delta per owner and month would be about as
         * many rows as the batch, written, read back and deleted again by the next compaction.
         * Single writers go on appending deltas meanwhile; only compactions and other loads wait.
         */
        private void fold(Connection c) throws SQLException {
            takeAggregatesTurn(c);
            Map<Key, Sum> sums = new TreeMap<>(KEY_ORDER);
            for (int sign : new int[] {1, -1}) {
                for (Map.Entry<Key, FunnelStats.Builder[]> e : (sign > 0 ? plus : minus).entrySet()) {
                    Key k = e.getKey();
                    int n = openStages.get(k.process);
                    addToMonthAndTotal(sums, k.owner, k.process, k.month, n, e.getValue()[0].build(),
                            e.getValue()[1].build(), sign);
                }
            }
            addCompacted(c, sums);
            replace(c, sums);
        }
    }

    /**
     * Starts the deltas of one write transaction.
     *
     * @return the deltas
     */
    public Deltas deltas() {
        return new Deltas();
    }

    static void markStale(Connection c) throws SQLException {
        // matches no row once stale, so it takes no lock then
        try (PreparedStatement ps = c.prepareStatement("UPDATE crm_agg_state SET valid = 0 WHERE name = 'funnel'"
                + " AND valid = 1")) {
            ps.executeUpdate();
        }
    }

    /**
     * Compacts when this store has written enough deltas since it last did; called after a
     * write committed, so the write's caller already has its acknowledgement. A failure is
     * logged, never thrown: the deltas stay and are read until a later compaction folds them.
     */
    public void afterWrite() {
        if (maintain && written.get() >= COMPACT_AFTER) {
            written.set(0);
            try {
                compact();
            } catch (RuntimeException e) {
                LOG.warn("compacting the maintained funnel aggregates failed; the deltas stay and are read as they"
                        + " are", e);
            }
        }
    }

    /**
     * Folds every committed delta into the compacted rows, in one transaction under the
     * {@code aggregates} turn; deletes exactly the deltas it folded.
     *
     * @return how many deltas were folded
     * @throws StorageException when the database fails (nothing changes)
     */
    public long compact() {
        return db.inTransaction("compacting the maintained funnel aggregates", c -> {
            takeAggregatesTurn(c);
            Map<Key, Sum> sums = new TreeMap<>(KEY_ORDER);
            List<Long> seqs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, owner_id, process_id, created_month, delta_sign, open_stages,"
                    + " linear_stats, strict_stats FROM crm_agg_delta")) {
                ps.setFetchSize(1_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        addToMonthAndTotal(sums, rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(6),
                                FunnelStats.fromBytes(rs.getBytes(7)), FunnelStats.fromBytes(rs.getBytes(8)),
                                rs.getInt(5));
                    }
                }
            }
            if (seqs.isEmpty()) {
                return 0L;
            }
            addCompacted(c, sums);
            replace(c, sums);
            deleteDeltas(c, seqs);
            return (long) seqs.size();
        });
    }

    /** Deletes exactly these deltas, {@value #IN_LIST} keys per statement. */
    private static void deleteDeltas(Connection c, List<Long> seqs) throws SQLException {
        for (int from = 0; from < seqs.size(); from += IN_LIST) {
            List<Long> chunk = seqs.subList(from, Math.min(seqs.size(), from + IN_LIST));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM crm_agg_delta WHERE seq IN ("
                    + marks(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(1 + i, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /**
     * Adds the compacted rows of the keys to their sums: one statement per process and month,
     * with the owners in IN lists of at most {@value #IN_LIST} (a compaction after a couple of
     * thousand single writes touches about as many keys).
     */
    private static void addCompacted(Connection c, Map<Key, Sum> sums) throws SQLException {
        Map<Key, List<String>> owners = new LinkedHashMap<>();
        for (Key k : sums.keySet()) {
            owners.computeIfAbsent(new Key("", k.process, k.month), x -> new ArrayList<>()).add(k.owner);
        }
        for (Map.Entry<Key, List<String>> e : owners.entrySet()) {
            List<String> all = e.getValue();
            for (int from = 0; from < all.size(); from += IN_LIST) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
                try (PreparedStatement ps = c.prepareStatement("SELECT owner_id, linear_stats, strict_stats FROM crm_agg"
                        + " WHERE process_id = ? AND created_month = ? AND owner_id IN (" + marks(chunk.size()) + ")")) {
                    ps.setFetchSize(1_000);
                    ps.setString(1, e.getKey().process);
                    ps.setInt(2, e.getKey().month);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(3 + i, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Sum sum = sums.get(new Key(rs.getString(1), e.getKey().process, e.getKey().month));
                            sum.stored = true;
                            sum.add(FunnelStats.fromBytes(rs.getBytes(2)), FunnelStats.fromBytes(rs.getBytes(3)), 1);
                        }
                    }
                }
            }
        }
    }

    /** The most owners one look-up of compacted rows names. */
    private static final int IN_LIST = 500;

    /**
     * Adds (sign 1) or takes back (sign -1) stats of an owner's month to that month's sum and to
     * the owner's total over every month: every delta counts in both.
     */
    private static void addToMonthAndTotal(Map<Key, Sum> sums, String owner, String process, int month, int n,
            FunnelStats linear, FunnelStats strict, int sign) {
        for (int m : new int[] {month, ALL_MONTHS}) {
            sums.computeIfAbsent(new Key(owner, process, m), k -> new Sum(n)).add(linear, strict, sign);
        }
    }

    /** Keys in one order, so two compactions would lock rows in the same order. */
    private static final java.util.Comparator<Key> KEY_ORDER = java.util.Comparator.comparing(Key::process)
            .thenComparingInt(Key::month).thenComparing(Key::owner);

    /**
     * Writes the sums as the compacted rows of their keys: the stored rows of the keys that had
     * one are deleted ({@value #IN_LIST} owners per statement), and the non-empty sums inserted
     * {@value #VALUES_ROWS} rows per statement (a compaction or a load touches thousands of keys;
     * a statement per key was most of its time on PostgreSQL).
     */
    private static void replace(Connection c, Map<Key, Sum> sums) throws SQLException {
        Map<Key, List<String>> stored = new LinkedHashMap<>();
        for (Map.Entry<Key, Sum> e : sums.entrySet()) {
            if (e.getValue().stored) {
                stored.computeIfAbsent(new Key("", e.getKey().process, e.getKey().month), x -> new ArrayList<>())
                        .add(e.getKey().owner);
            }
        }
        for (Map.Entry<Key, List<String>> e : stored.entrySet()) {
            List<String> all = e.getValue();
            for (int from = 0; from < all.size(); from += IN_LIST) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM crm_agg WHERE process_id = ? AND"
                        + " created_month = ? AND owner_id IN (" + marks(chunk.size()) + ")")) {
                    ps.setString(1, e.getKey().process);
                    ps.setInt(2, e.getKey().month);
                    for (int k = 0; k < chunk.size(); k++) {
                        ps.setString(3 + k, chunk.get(k));
                    }
                    ps.executeUpdate();
                }
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<Key, Sum> e : sums.entrySet()) {
            FunnelStats linear = e.getValue().linear.build();
            if (!linear.isEmpty()) {
                Key k = e.getKey();
                rows.add(new Object[] {k.owner, k.process, k.month, e.getValue().n, linear.count(), linear.toBytes(),
                    e.getValue().strict.build().toBytes()});
            }
        }
        insertRows(c, "crm_agg (owner_id, process_id, created_month, open_stages, opportunities, linear_stats,"
                + " strict_stats)", rows);
    }

    /** Rows per multi-row INSERT. */
    private static final int VALUES_ROWS = 200;

    /** Inserts rows of strings, ints and byte arrays, {@value #VALUES_ROWS} per statement. */
    private static void insertRows(Connection c, String into, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int width = rows.get(0).length;
        String one = "(" + marks(width) + ")";
        for (int from = 0; from < rows.size(); from += VALUES_ROWS) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + VALUES_ROWS));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + into + " VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), one)))) {
                int p = 1;
                for (Object[] row : chunk) {
                    for (Object v : row) {
                        if (v instanceof String text) {
                            ps.setString(p++, text);
                        } else if (v instanceof Integer n) {
                            ps.setInt(p++, n);
                        } else if (v instanceof Long n) {
                            ps.setLong(p++, n);
                        } else {
                            ps.setBytes(p++, (byte[]) v);
                        }
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    private void takeAggregatesTurn(Connection c) throws SQLException {
        if (db.dialect() == org.crmkit.jdbc.Dialect.SQLITE) {
            return; // one writer at a time already
        }
        // a row lock without a new row version: a repeatable-read rebuild that waited for it
        // does not fail for a concurrent update of the lock row
        try (PreparedStatement ps = c.prepareStatement("SELECT taken FROM crm_write_lock WHERE name = 'aggregates'"
                + " FOR UPDATE")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    /** The running sums of one key under both policies. */
    private static final class Sum {
        final int n;
        /** Whether the key has a compacted row (read into this sum). */
        boolean stored;
        final FunnelStats.Builder linear;
        final FunnelStats.Builder strict;

        Sum(int n) {
            this.n = n;
            this.linear = FunnelStats.builder(n);
            this.strict = FunnelStats.builder(n);
        }

        void add(FunnelStats l, FunnelStats s, int sign) {
            if (sign > 0) {
                linear.add(l);
                strict.add(s);
            } else {
                linear.subtract(l);
                strict.subtract(s);
            }
        }
    }

    /**
     * The month keys a query reads, or null when the maintained aggregates cannot answer it.
     * Without creation bounds: {@link #ALL_MONTHS}. With them: every month they cover, when
     * both are month starts in the store's zone.
     */
    List<Integer> months(AggregateQuery q) {
        if (!maintain || q.hasActivityWindow() || !q.filter().isAny() || q.bucketBy() != BucketBy.NONE
                || q.openStages() > DerivedColumns.STAGE_TIME_COLUMNS) {
            return null;
        }
        if (q.createdFrom() == null && q.createdUntil() == null) {
            return List.of(ALL_MONTHS);
        }
        if (q.createdFrom() == null || q.createdUntil() == null) {
            return null;
        }
        YearMonth from = monthStarting(q.createdFrom());
        YearMonth until = monthStarting(q.createdUntil());
        if (from == null || until == null || !from.isBefore(until) || from.until(until,
                java.time.temporal.ChronoUnit.MONTHS) > 1_200) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (YearMonth m = from; m.isBefore(until); m = m.plusMonths(1)) {
            out.add(m.getYear() * 100 + m.getMonthValue());
        }
        return out;
    }

    private YearMonth monthStarting(Instant at) {
        LocalDate d = LocalDate.ofInstant(at, zone);
        if (d.getDayOfMonth() != 1 || !d.atStartOfDay(zone).toInstant().equals(at)) {
            return null;
        }
        return YearMonth.from(d);
    }

    /**
     * The maintained answer of a query, read in the caller's snapshot, or null when the
     * aggregates cannot answer it (see the class comment): the grouped scan answers then.
     *
     * @param c a connection in a repeatable-read snapshot
     * @param q the query
     * @return the stats per owner, or null
     * @throws SQLException on a database error
     */
    OwnerAggregates<FunnelStats> answer(Connection c, AggregateQuery q) throws SQLException {
        List<Integer> months = months(q);
        if (months == null || !valid(c) || !afterLatest(c, "last_transition_s", q.asOf())
                || !afterLatest(c, "last_change_s", q.asOf())) {
            return null;
        }
        boolean strict = q.policy() == CountingPolicy.STRICT;
        int n = q.openStages();
        Set<ManagerId> owners = q.owners();
        Map<String, ManagerId> wanted = new HashMap<>();
        for (ManagerId m : owners) {
            wanted.put(m.value(), m);
        }
        Map<String, List<FunnelStats>> plus = new HashMap<>();
        Map<String, List<FunnelStats>> minus = new HashMap<>();
        String column = strict ? "strict_stats" : "linear_stats";
        String process = q.process().id().value();
        String inMonths = months.size() == 1 ? " = ?" : " BETWEEN ? AND ?";
        String[] sqls = {"SELECT owner_id, open_stages, 1, " + column + " FROM crm_agg WHERE process_id = ?"
                + " AND created_month" + inMonths, "SELECT owner_id, open_stages, delta_sign, " + column
                + " FROM crm_agg_delta WHERE process_id = ?"
                + (months.get(0) == ALL_MONTHS ? "" : " AND created_month" + inMonths)};
        for (String sql : sqls) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1_000);
                binaryTransfer(ps);
                ps.setString(1, process);
                if (sql.contains("created_month")) {
                    ps.setInt(2, months.get(0));
                    if (months.size() > 1) {
                        ps.setInt(3, months.get(months.size() - 1));
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String owner = rs.getString(1);
                        if (!wanted.containsKey(owner)) {
                            continue;
                        }
                        if (rs.getInt(2) != n) {
                            return null; // kept for another shape of the process: the scan refuses or answers
                        }
                        // without the win/loss tables unless asked: they are most of a decode
                        FunnelStats s = FunnelStats.fromBytes(rs.getBytes(4), q.winLoss());
                        if (rs.getInt(3) > 0) {
                            plus.computeIfAbsent(owner, o -> new ArrayList<>(1)).add(s);
                        } else {
                            minus.computeIfAbsent(owner, o -> new ArrayList<>()).add(s);
                        }
                    }
                }
            }
        }
        if (!plus.keySet().containsAll(minus.keySet())) {
            LOG.warn("the maintained funnel aggregates of process {} take back more than they hold; the grouped scan"
                    + " answers (run CrmStore.verifyAggregates, then rebuildAggregates)", process);
            return null;
        }
        OwnerAggregates.Builder<FunnelStats> out = OwnerAggregates.<FunnelStats>builder(1).path(AnswerPath.MAINTAINED);
        for (Map.Entry<String, List<FunnelStats>> e : plus.entrySet()) {
            List<FunnelStats> taken = minus.getOrDefault(e.getKey(), List.of());
            if (e.getValue().size() == 1 && taken.isEmpty()) {
                // the usual owner after a compaction: its compacted row as it is, no summing
                out.add(wanted.get(e.getKey()), 0, e.getValue().get(0));
                continue;
            }
            FunnelStats.Builder b = FunnelStats.builder(n);
            e.getValue().forEach(b::add);
            // every delta taken back was added before it (in a compacted row or a delta)
            taken.forEach(b::subtract);
            out.add(wanted.get(e.getKey()), 0, b.build());
        }
        return out.build();
    }

    /**
     * Asks PostgreSQL's driver for the binary protocol on a statement (a negative prepare
     * threshold forces it): the stats then cross the wire as bytes, not as hex text of twice
     * their size. Drivers and pools that do not unwrap to it keep the default.
     */
    private void binaryTransfer(PreparedStatement ps) {
        if (db.dialect() != org.crmkit.jdbc.Dialect.POSTGRESQL) {
            return;
        }
        try {
            if (ps.isWrapperFor(org.postgresql.PGStatement.class)) {
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            }
        } catch (SQLException | LinkageError e) {
            LOG.debug("binary transfer not available for the maintained aggregates", e);
        }
    }

    /** Whether the aggregates equal the opportunity table and their months are in this store's zone. */
    private boolean valid(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT valid, zone FROM crm_agg_state WHERE name = 'funnel'")) {
            ps.setFetchSize(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1 && zone.getId().equals(rs.getString(2));
            }
        }
    }

    /**
     * Whether an instant is after every stored transition, or every stored change of a tracked
     * value (to the second): then every opportunity's state as of it is its end state, with its
     * current values, which is what is kept. One probe of the column's index
     * ({@code last_transition_s}, {@code last_change_s}); one statement per column, since SQLite
     * reads a MAX from an index only when it is the statement's one aggregate.
     */
    private static boolean afterLatest(Connection c, String column, Instant asOf) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(" + column + ") FROM crm_opportunity")) {
            ps.setFetchSize(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return true;
                }
                long latest = rs.getLong(1);
                return rs.wasNull() || latest < asOf.getEpochSecond();
            }
        }
    }

    /**
     * The number of opportunities per owner of a process, from the maintained totals, or null
     * when they are not valid.
     *
     * @param c a connection in a repeatable-read snapshot
     * @param process the process id
     * @return the counts, or null
     * @throws SQLException on a database error
     */
    Map<ManagerId, Long> opportunitiesPerOwner(Connection c, String process) throws SQLException {
        if (!maintain || !valid(c)) {
            return null;
        }
        Map<String, Long> counts = new HashMap<>();
        // the compacted rows' counts are a column; a pending delta's is the head of its stats
        for (String sql : new String[] {"SELECT owner_id, 1, opportunities, NULL FROM crm_agg WHERE process_id = ?"
                + " AND created_month = " + ALL_MONTHS, "SELECT owner_id, delta_sign, 0, linear_stats FROM crm_agg_delta"
                + " WHERE process_id = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1_000);
                ps.setString(1, process);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] stats = rs.getBytes(4);
                        long count = stats == null ? rs.getLong(3) : FunnelStats.countOf(stats);
                        counts.merge(rs.getString(1), rs.getInt(2) * count, Long::sum);
                    }
                }
            }
        }
        Map<ManagerId, Long> out = new HashMap<>();
        counts.forEach((o, n) -> {
            if (n != 0) {
                out.put(ManagerId.of(o), n);
            }
        });
        return out;
    }

    /**
     * The aggregates recomputed from the opportunity table, per key, in the caller's
     * transaction: what {@link #rebuild} writes and {@link #verify} compares with.
     */
    private Map<Key, Sum> recompute(Connection c) throws SQLException {
        Map<String, SalesProcess> processes = new HashMap<>();
        for (SalesProcess p : JdbcProcesses.load(c, null)) {
            processes.put(p.id().value(), p);
        }
        Map<Key, Sum> sums = new TreeMap<>(KEY_ORDER);
        Map<String, CurrencyUnit> currencies = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM crm_opportunity")) {
            ps.setFetchSize(5_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    State s = State.read(rs, 1);
                    SalesProcess p = processes.get(s.process);
                    if (p == null || p.openStageCount() > DerivedColumns.STAGE_TIME_COLUMNS) {
                        continue;
                    }
                    int n = p.openStageCount();
                    for (int m : new int[] {month(s.createdS, zone), ALL_MONTHS}) {
                        Sum sum = sums.computeIfAbsent(new Key(s.owner, s.process, m), k -> new Sum(n));
                        contribution(s, n, new FunnelStats.Builder[] {sum.linear, sum.strict}, currencies);
                    }
                }
            }
        }
        return sums;
    }

    /**
     * Rebuilds the aggregates from the opportunity table in one repeatable-read transaction under
     * the {@code aggregates} turn: the compacted rows are replaced, the deltas it saw are
     * deleted (a write that committed after its snapshot keeps its delta, since the rebuild did
     * not see its change), and the state is marked valid in the store's zone.
     *
     * @return how many keys (owner, process, month) the aggregates hold now
     * @throws StorageException when the database fails (nothing changes)
     */
    public long rebuild() {
        for (int attempt = 1;; attempt++) {
            try {
                return rebuildOnce();
            } catch (StorageException e) {
                // a compaction that committed after this snapshot began deleted deltas it saw:
                // the snapshot is stale, so start again (the compaction holds the turn briefly)
                boolean conflict = e.getCause() instanceof SQLException s && ("40001".equals(s.getSQLState())
                        || db.dialect().isConcurrentUpdate(s));
                if (!conflict || attempt == REBUILD_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Rebuilds tried before a conflict with concurrent compactions is reported. */
    private static final int REBUILD_ATTEMPTS = 5;

    private long rebuildOnce() {
        return db.inSnapshotTransaction("rebuilding the maintained funnel aggregates", c -> {
            takeAggregatesTurn(c);
            Map<Key, Sum> sums = recompute(c);
            List<Long> seqs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM crm_agg_delta")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            deleteDeltas(c, seqs);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM crm_agg")) {
                ps.executeUpdate();
            }
            replace(c, sums);
            try (PreparedStatement ps = c.prepareStatement("UPDATE crm_agg_state SET valid = 1, zone = ? WHERE name ="
                    + " 'funnel'")) {
                ps.setString(1, zone.getId());
                ps.executeUpdate();
            }
            written.set(0);
            return (long) sums.size();
        });
    }

    /**
     * Rebuilds the aggregates when this store maintains them and they are stale or in another
     * zone (a store opened for the first time since migration V7, or after a store wrote without
     * maintaining them).
     *
     * @return whether a rebuild ran
     */
    public boolean rebuildIfStale() {
        if (!maintain) {
            return false;
        }
        boolean valid = db.read("reading the state of the maintained aggregates", this::valid);
        if (valid) {
            return false;
        }
        long started = System.nanoTime();
        long keys = rebuild();
        long ms = (System.nanoTime() - started) / 1_000_000;
        // opening a store is routine and quiet; a rebuild long enough to notice is said
        if (ms >= 1_000) {
            LOG.info("rebuilt the maintained funnel aggregates ({} keys) in {} ms", keys, ms);
        } else {
            LOG.debug("rebuilt the maintained funnel aggregates ({} keys) in {} ms", keys, ms);
        }
        return true;
    }

    /**
     * Compares the maintained aggregates (compacted rows plus pending deltas) with the
     * aggregates recomputed from the opportunity table, in one snapshot, key by key.
     *
     * @return the keys that differ, with both sides; empty when they agree
     * @throws StorageException when the database fails
     */
    public List<AggregateDifference> verify() {
        return db.snapshot("verifying the maintained funnel aggregates", c -> {
            Map<Key, Sum> expected = recompute(c);
            Map<Key, Sum> kept = new TreeMap<>(KEY_ORDER);
            Map<Key, Long> countColumn = new TreeMap<>(KEY_ORDER);
            try (PreparedStatement ps = c.prepareStatement("SELECT owner_id, process_id, created_month, open_stages,"
                    + " linear_stats, strict_stats, opportunities FROM crm_agg")) {
                ps.setFetchSize(1_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int n = rs.getInt(4);
                        Key key = new Key(rs.getString(1), rs.getString(2), rs.getInt(3));
                        FunnelStats linear = FunnelStats.fromBytes(rs.getBytes(5));
                        kept.computeIfAbsent(key, k -> new Sum(n)).add(linear, FunnelStats.fromBytes(rs.getBytes(6)), 1);
                        if (rs.getLong(7) != linear.count()) {
                            countColumn.put(key, rs.getLong(7));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT owner_id, process_id, created_month, open_stages,"
                    + " delta_sign, linear_stats, strict_stats FROM crm_agg_delta")) {
                ps.setFetchSize(1_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // a sum may go negative until it is built: deltas add in any order
                        addToMonthAndTotal(kept, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                                FunnelStats.fromBytes(rs.getBytes(6)), FunnelStats.fromBytes(rs.getBytes(7)),
                                rs.getInt(5));
                    }
                }
            }
            List<AggregateDifference> out = new ArrayList<>();
            countColumn.forEach((k, count) -> out.add(new AggregateDifference(k.owner, k.process, k.month, null, null,
                    "the opportunities column holds " + count + ", not the count of its stats")));
            Map<Key, FunnelStats[]> keptStats = new TreeMap<>(KEY_ORDER);
            Map<Key, String> broken = new TreeMap<>(KEY_ORDER);
            for (Map.Entry<Key, Sum> e : kept.entrySet()) {
                try {
                    keptStats.put(e.getKey(), new FunnelStats[] {e.getValue().linear.build(),
                        e.getValue().strict.build()});
                } catch (org.crmkit.core.ValidationException negative) {
                    broken.put(e.getKey(), negative.getMessage());
                }
            }
            java.util.Set<Key> keys = new java.util.TreeSet<>(KEY_ORDER);
            keys.addAll(expected.keySet());
            keys.addAll(kept.keySet());
            for (Key k : keys) {
                Sum e = expected.get(k);
                FunnelStats el = e == null ? null : nonEmpty(e.linear.build());
                FunnelStats es = e == null ? null : nonEmpty(e.strict.build());
                if (broken.containsKey(k)) {
                    out.add(new AggregateDifference(k.owner, k.process, k.month, el, null, broken.get(k)));
                    continue;
                }
                FunnelStats[] got = keptStats.get(k);
                FunnelStats gl = got == null ? null : nonEmpty(got[0]);
                FunnelStats gs = got == null ? null : nonEmpty(got[1]);
                if (!Objects.equals(el, gl)) {
                    out.add(new AggregateDifference(k.owner, k.process, k.month, el, gl, "LINEAR"));
                } else if (!Objects.equals(es, gs)) {
                    out.add(new AggregateDifference(k.owner, k.process, k.month, es, gs, "STRICT"));
                }
            }
            return out;
        });
    }

    private static FunnelStats nonEmpty(FunnelStats s) {
        return s.isEmpty() ? null : s;
    }
}
