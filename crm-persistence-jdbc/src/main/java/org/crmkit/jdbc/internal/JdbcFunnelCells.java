package org.crmkit.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.ClientId;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellKey;
import org.crmkit.funnel.spi.CellMeasures;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.DayHistogram;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelCellSource;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;
import org.crmkit.funnel.spi.StageTimeKey;
import org.crmkit.jdbc.Dialect;

/**
 * Answers the funnel engine's cell queries in SQL. The state of an opportunity as of the
 * query's instant is its stored current state when its last transition is before that
 * instant (the usual case); otherwise it is replayed from the transition table (the last
 * transition before the instant gives the stage, a bitwise OR of {@code to_bit} over them
 * the entered-stage mask, the visits left before the instant its times in stage). One
 * statement returns the population's state as narrow rows of derived columns (no opportunity
 * is loaded, no child table is read for the usual case), which are summed into cells in one
 * pass.
 * A filter with a custom predicate cannot run in SQL: such a query is answered from the
 * facts computed in Java on streamed opportunities, with the same definitions
 * ({@link CellQuery#factsOf}).
 */
public final class JdbcFunnelCells implements FunnelCellSource {
    private final Db db;
    private final OpportunityRepository opportunities;

    /**
     * Creates the source.
     *
     * @param db the database
     * @param opportunities the opportunity repository of the same store, for facts
     */
    public JdbcFunnelCells(Db db, OpportunityRepository opportunities) {
        this.db = db;
        this.opportunities = opportunities;
    }

    @Override
    public Stream<OpportunityFacts> facts(CellQuery query) {
        Objects.requireNonNull(query, "query");
        Stream<org.crmkit.core.Opportunity> opps = opportunities.stream(
                OpportunityQuery.ownedBy(query.owners()).withProcess(query.process().id()));
        return opps.map(query::factsOf).flatMap(Optional::stream);
    }

    @Override
    public FunnelCells cells(CellQuery query) {
        Objects.requireNonNull(query, "query");
        if (!query.filter().isStructured()) {
            return FunnelCellSource.super.cells(query);
        }
        SqlBuilder sql = statement(query);
        return db.snapshot("computing funnel cells", c -> {
            for (String setting : db.dialect().aggregationSettingsSql()) {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute(setting);
                }
            }
            Aggregation agg = new Aggregation(query);
            try (PreparedStatement ps = c.prepareStatement(sql.text())) {
                // a cursor: inside the snapshot's transaction PostgreSQL's driver then streams
                // the rows instead of holding the whole result (fetch size 0 holds it all)
                ps.setFetchSize(FETCH_SIZE);
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        agg.add(rs);
                    }
                }
            }
            return agg.build();
        });
    }

    /**
     * The one statement of a cell query: one narrow row per opportunity of the population with
     * its state as of {@code until} (columns {@link #OWNER} to {@link #STAGE_SECONDS}, then the
     * prior state and the bucket when the query has them). An opportunity whose last
     * transition is before {@code until} (the usual case) is read from its row alone: stage,
     * entered mask and times in stage (V3 {@code stage_seconds}) are stored there. Only the
     * others ({@code r}: usually none for an "as of now" query, found through the index on the
     * last transition) are replayed from the transition table. No GROUP BY: the cell keys are
     * nearly as many as the opportunities (73k cells for 100k generated opportunities), so a
     * hash aggregate on the server cost more than it saved (measured: 400 ms of 450 ms) and
     * still sent most rows; the rows are summed in Java instead, in one pass into mutable sums.
     */
    private SqlBuilder statement(CellQuery q) {
        Dialect dialect = db.dialect();
        boolean ownersInSql = ownersInSql(q, dialect);
        SqlBuilder b = new SqlBuilder();
        b.sql("WITH r AS (");
        replay(b, q, dialect, ownersInSql);
        b.sql(")");
        boolean bucketed = q.bucketBy() != BucketBy.NONE;
        if (bucketed) {
            b.sql(" SELECT * FROM (");
        } else {
            b.sql(" ");
        }
        if (q.activityFrom() == null) {
            rowColumns(b, q, "o.stage_index", "o.entered_mask", "o.last_transition_s", "o.stage_seconds");
            b.sql(" FROM crm_opportunity o WHERE ");
            populationFilter(b, q, ownersInSql);
            b.sql(" AND ").before("o.last_transition", q.until());
            b.sql(" UNION ALL ");
        }
        rowColumns(b, q, "tl.to_index", "r.mask", "tl.at_s", "r.secs");
        b.sql(" FROM r JOIN crm_opportunity o ON o.id = r.opp_id"
                + " JOIN crm_opp_transition tl ON tl.opp_id = r.opp_id AND tl.pos = r.last_pos");
        if (q.activityFrom() != null) {
            b.sql(" LEFT JOIN crm_opp_transition tp ON tp.opp_id = r.opp_id AND tp.pos = r.prior_pos");
        }
        if (bucketed) {
            b.sql(") w WHERE bucket >= 0");
        }
        return b;
    }

    /**
     * Whether the owner condition runs in SQL. PostgreSQL tests membership in an array
     * parameter with a hash; H2 compares each row with every element (measured at 100k rows
     * and 2,000 owners: 0.7–1 s for {@code = ANY(?)} or an IN list, 60 ms without the
     * condition), so for a large owner set H2 returns every owner's rows and the aggregation
     * skips the others.
     */
    private static boolean ownersInSql(CellQuery q, Dialect dialect) {
        return dialect.hashesArrayMembership() || q.owners().size() <= LINEAR_OWNER_TEST_LIMIT;
    }

    /** Rows per round trip of the pushed-down statement, so its memory stays bounded. */
    private static final int FETCH_SIZE = 2_000;

    /** The largest owner set whose IN list H2 tests per row in SQL. */
    private static final int LINEAR_OWNER_TEST_LIMIT = 64;

    // result columns of the statement, by position (reading by index spares a name lookup per value)
    private static final int OWNER = 1;
    private static final int CURRENCY = 2;
    private static final int STAGE = 3;
    private static final int MASK = 4;
    private static final int CURRENT_STAGE = 5;
    private static final int PROBABILITY = 6;
    private static final int AMOUNT = 7;
    private static final int REVENUE = 8;
    private static final int REASON = 9;
    private static final int WINNER = 10;
    private static final int CYCLE = 11;
    private static final int STAGE_SECONDS = 12;
    // then, with an activity window, the prior stage and mask; then, when bucketed, the bucket

    private static void rowColumns(SqlBuilder b, CellQuery q, String stage, String mask, String lastSecond,
            String stageSeconds) {
        b.sql("SELECT o.owner_id, o.currency, " + stage + " AS st, " + mask + " AS mask, o.stage_index AS cur_stage,"
                + " o.probability, o.amount_minor, o.revenue_minor, o.close_reason, o.close_winner, " + lastSecond
                + " - o.created_s AS cycle_s, " + stageSeconds + " AS secs");
        // the prior state and the bucket only when the query has them: a constant column
        // still costs the server an output conversion per row
        if (q.activityFrom() != null) {
            b.sql(", COALESCE(tp.to_index, -1) AS prior_st, COALESCE(r.prior_mask, 0) AS prior_mask");
        }
        int open = q.process().openStageCount();
        if (q.bucketBy() == BucketBy.NONE) {
            return;
        }
        b.sql(", ");
        if (q.bucketBy() == BucketBy.CREATED) {
            instantBucket(b, "o.created_s", q.buckets(), q.zone());
        } else {
            b.sql("CASE WHEN " + stage + " < ").param(open).sql(" THEN ");
            dateBucket(b, "o.expected_close_date", q.buckets());
            b.sql(" WHEN " + stage + " = o.stage_index THEN ");
            dateBucket(b, "o.close_date", q.buckets());
            b.sql(" ELSE ");
            instantBucket(b, lastSecond, q.buckets(), q.zone());
            b.sql(" END");
        }
        b.sql(" AS bucket");
    }

    /**
     * Sums the statement's rows into cells, by the definitions of {@link FunnelCellSource}:
     * one mutable accumulator per cell key and per time-in-stage key, immutable cells built
     * once at the end.
     */
    private static final class Aggregation {
        private final int open;
        private final int[] defaultProbability;
        private final boolean activity;
        private final boolean bucketed;
        private final int priorStageColumn;
        private final int bucketColumn;
        private final int buckets;
        private final Map<String, Owner> owners = new HashMap<>();
        // Monetary's currency lookup is slow, and a book has a handful of currencies
        private final Map<String, CurrencyUnit> currencies = new HashMap<>();
        private final Map<CellKey, Sum> cells = new HashMap<>();
        // per-row scratch of addStageSeconds: seconds per open stage, which stages were seen
        private final long[] secondsIn;
        private final boolean[] left;
        private final int[] leftStages;

        Aggregation(CellQuery q) {
            open = q.process().openStageCount();
            List<org.crmkit.core.Stage> stages = q.process().stages();
            defaultProbability = new int[stages.size()];
            for (int i = 0; i < stages.size(); i++) {
                defaultProbability[i] = stages.get(i).defaultProbability();
            }
            activity = q.activityFrom() != null;
            bucketed = q.bucketBy() != BucketBy.NONE;
            priorStageColumn = STAGE_SECONDS + 1;
            bucketColumn = activity ? STAGE_SECONDS + 3 : STAGE_SECONDS + 1;
            buckets = bucketed ? q.buckets().size() : 1;
            for (ManagerId id : q.owners()) {
                owners.put(id.value(), new Owner(id));
            }
            secondsIn = new long[open];
            left = new boolean[open];
            leftStages = new int[open];
        }

        void add(ResultSet rs) throws SQLException {
            Owner owner = owners.get(rs.getString(OWNER));
            if (owner == null) {
                return; // not an owner of the query: H2 leaves a large owner set to this test
            }
            CurrencyUnit currency = currencies.computeIfAbsent(rs.getString(CURRENCY), Amounts::currency);
            int stage = rs.getInt(STAGE);
            long mask = rs.getLong(MASK);
            boolean sameAsNow = stage == rs.getInt(CURRENT_STAGE);
            int priorStage = activity ? rs.getInt(priorStageColumn) : -1;
            long priorMask = activity ? rs.getLong(priorStageColumn + 1) : 0;
            int bucket = bucketed ? rs.getInt(bucketColumn) : 0;
            OpportunityStatus status = stage == open ? OpportunityStatus.WON
                    : stage == open + 1 ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
            // a closed opportunity still in the same terminal stage has its close info now
            boolean closeInfo = stage >= open && sameAsNow;
            String reason = closeInfo ? rs.getString(REASON) : null;
            String competitor = closeInfo && status == OpportunityStatus.LOST ? rs.getString(WINNER) : null;
            long amount = rs.getLong(AMOUNT); // 0 when unknown (SQL NULL)
            int probability = sameAsNow ? rs.getInt(PROBABILITY) : defaultProbability[stage];
            long revenue = 0;
            if (status == OpportunityStatus.WON) {
                long actual = closeInfo ? rs.getLong(REVENUE) : 0;
                revenue = closeInfo && !rs.wasNull() ? actual : amount;
            }
            CellKey key = new CellKey(owner.id, status, stage, mask, priorStage, priorMask, currency, reason,
                    competitor, bucket);
            Sum cell = cells.get(key);
            if (cell == null) {
                cell = new Sum();
                cells.put(key, cell);
            }
            cell.count++;
            cell.amount = Math.addExact(cell.amount, amount);
            cell.weighted = Math.addExact(cell.weighted, Math.multiplyExact(amount, probability));
            cell.revenue = Math.addExact(cell.revenue, revenue);
            if (status != OpportunityStatus.OPEN) {
                cell.addDuration(Math.max(0, rs.getLong(CYCLE)));
            }
            String secs = rs.getString(STAGE_SECONDS);
            if (secs != null && !secs.isEmpty()) {
                if (owner.stageTimes == null) {
                    owner.stageTimes = new Sum[buckets * open];
                }
                addStageSeconds(owner.stageTimes, bucket * open, secs);
            }
        }

        // parses "stage:seconds,stage:seconds" without intermediate strings; a stage may repeat
        // (one entry per visit of a replayed opportunity): its seconds are summed into one
        // duration of this opportunity, as the definition of time in stage asks
        private void addStageSeconds(Sum[] sums, int offset, String secs) {
            int i = 0;
            int n = secs.length();
            int visited = 0;
            while (i < n) {
                int stage = 0;
                char ch;
                while ((ch = secs.charAt(i++)) != ':') {
                    stage = stage * 10 + (ch - '0');
                }
                long seconds = 0;
                while (i < n && (ch = secs.charAt(i)) != ',') {
                    seconds = Math.addExact(Math.multiplyExact(seconds, 10), ch - '0');
                    i++;
                }
                i++;
                if (!left[stage]) {
                    left[stage] = true;
                    secondsIn[stage] = 0;
                    leftStages[visited++] = stage;
                }
                secondsIn[stage] = Math.addExact(secondsIn[stage], seconds);
            }
            for (int k = 0; k < visited; k++) {
                int stage = leftStages[k];
                left[stage] = false;
                Sum sum = sums[offset + stage];
                if (sum == null) {
                    sum = new Sum();
                    sums[offset + stage] = sum;
                }
                sum.addDuration(secondsIn[stage]);
            }
        }

        FunnelCells build() {
            FunnelCells.Builder out = FunnelCells.builder();
            cells.forEach((k, s) -> out.add(k, new CellMeasures(s.count, s.amount, s.weighted, s.revenue,
                    s.durations())));
            for (Owner owner : owners.values()) {
                for (int i = 0; owner.stageTimes != null && i < owner.stageTimes.length; i++) {
                    Sum sum = owner.stageTimes[i];
                    if (sum != null) {
                        out.addStageTime(new StageTimeKey(owner.id, i % open, i / open), sum.durations());
                    }
                }
            }
            return out.build();
        }
    }

    /** An owner of the query, with its time-in-stage sums indexed by {@code bucket × n + stage}. */
    private static final class Owner {
        final ManagerId id;
        // made on the owner's first time in stage: a query may have many owners and buckets
        Sum[] stageTimes;

        Owner(ManagerId id) {
            this.id = id;
        }
    }

    /** The running sums of one cell: measures, and durations with their whole-day counts. */
    private static final class Sum {
        private static final int[] NO_DAYS = new int[0];
        private static final long[] NO_COUNTS = new long[0];

        long count;
        long amount;
        long weighted;
        long revenue;
        long durations;
        long seconds;
        // (day, count) pairs sorted by day, the canonical form of DayHistogram; a time-in-stage
        // cell collects many durations over a few hundred distinct days, so a binary search
        int[] days = NO_DAYS;
        long[] dayCounts = NO_COUNTS;
        int size;

        void addDuration(long s) {
            durations++;
            seconds = Math.addExact(seconds, s);
            int day = Math.toIntExact(s / DurationSummary.SECONDS_PER_DAY);
            int at = java.util.Arrays.binarySearch(days, 0, size, day);
            if (at >= 0) {
                dayCounts[at]++;
                return;
            }
            at = -at - 1;
            if (size == days.length) {
                int grown = Math.max(2, size * 2);
                days = java.util.Arrays.copyOf(days, grown);
                dayCounts = java.util.Arrays.copyOf(dayCounts, grown);
            }
            System.arraycopy(days, at, days, at + 1, size - at);
            System.arraycopy(dayCounts, at, dayCounts, at + 1, size - at);
            days[at] = day;
            dayCounts[at] = 1;
            size++;
        }

        DurationSummary durations() {
            return durations == 0 ? DurationSummary.empty()
                    : new DurationSummary(durations, seconds, DayHistogram.of(java.util.Arrays.copyOf(days, size),
                            java.util.Arrays.copyOf(dayCounts, size)));
        }
    }

    /**
     * The replay ({@code r}) of the population members whose state as of {@code until} is not
     * the one on their row, in one pass over their transitions before {@code until}: per
     * opportunity the position of its last transition (the stage), the mask of the open
     * stages entered, and its visits of open stages left before {@code until} ({@code secs}:
     * {@code stage:seconds} per visit, a stage visited twice appears twice; STRING_AGG skips
     * the other rows, whose CASE is NULL). Without an activity window these are the members
     * with a transition at or after {@code until}. With one, every member has a transition in
     * the window, so the last one is at or after {@code activityFrom}: all of them are
     * replayed, and the same pass gives the prior state (position and mask over the
     * transitions before {@code activityFrom}) and keeps only the active ones. Everything is
     * read in this single grouped pass: a second aggregate joined back to it made H2 re-run
     * it per row.
     */
    private static void replay(SqlBuilder b, CellQuery q, Dialect dialect, boolean ownersInSql) {
        Instant from = q.activityFrom();
        b.sql("SELECT t.opp_id, MAX(t.pos) AS last_pos, " + dialect.bitOrAggregate("t.to_bit") + " AS mask");
        b.sql(", STRING_AGG(CASE WHEN t.to_index < ").param(q.process().openStageCount()).sql(" AND ")
                .before("t.next", q.until()).sql(" THEN CAST(t.to_index AS VARCHAR(11)) || ':' || CAST(t.next_s - t.at_s"
                        + " AS VARCHAR(20)) END, ',') AS secs");
        if (from != null) {
            b.sql(", MAX(CASE WHEN ").before("t.at", from).sql(" THEN t.pos END) AS prior_pos, ");
            SqlBuilder bit = new SqlBuilder();
            b.sql(dialect.bitOrAggregate("CASE WHEN " + bit.before("t.at", from).text() + " THEN t.to_bit END"));
            b.params(bit).sql(" AS prior_mask");
        }
        b.sql(" FROM crm_opportunity o JOIN crm_opp_transition t ON t.opp_id = o.id WHERE ");
        populationFilter(b, q, ownersInSql);
        b.sql(" AND ").notBefore("o.last_transition", from != null ? from : q.until()).sql(" AND ")
                .before("t.at", q.until()).sql(" GROUP BY t.opp_id");
        if (from != null) {
            b.sql(" HAVING MAX(CASE WHEN ").notBefore("t.at", from).sql(" THEN 1 ELSE 0 END) = 1");
        }
    }

    /** The conditions on the opportunity row {@code o} alone. */
    private static void populationFilter(SqlBuilder b, CellQuery q, boolean ownersInSql) {
        b.sql("o.process_id = ").param(q.process().id().value());
        List<String> owners = q.owners().stream().map(ManagerId::value).sorted().toList();
        if (ownersInSql && q.owners().size() <= LINEAR_OWNER_TEST_LIMIT) {
            b.sql(" AND ").in("o.owner_id", owners);
        } else if (ownersInSql) {
            b.sql(" AND ").anyOf("o.owner_id", owners);
        }
        if (!q.filter().clients().isEmpty()) {
            b.sql(" AND ").in("o.client_id", q.filter().clients().stream().map(ClientId::value).sorted().toList());
        }
        if (!q.filter().currencies().isEmpty()) {
            b.sql(" AND ").in("o.currency",
                    q.filter().currencies().stream().map(CurrencyUnit::getCurrencyCode).sorted().toList());
        }
        b.sql(" AND ").before("o.created", q.until());
        if (q.createdFrom() != null) {
            b.sql(" AND ").notBefore("o.created", q.createdFrom());
        }
        if (q.createdUntil() != null) {
            b.sql(" AND ").before("o.created", q.createdUntil());
        }
    }

    // The date of an instant in the zone lies in [start, end) exactly when the instant lies in
    // [start at the zone's start of day, end likewise); those bounds are whole seconds, so
    // comparing epoch seconds is exact whatever the nanos.
    private static void instantBucket(SqlBuilder b, String column, List<Period> buckets, ZoneId zone) {
        b.sql("CASE");
        for (int i = 0; i < buckets.size(); i++) {
            Period p = buckets.get(i);
            b.sql(" WHEN " + column + " >= ").param(startOf(p.start(), zone)).sql(" AND " + column + " < ")
                    .param(startOf(p.end(), zone)).sql(" THEN ").param(i);
        }
        b.sql(" ELSE -1 END");
    }

    private static long startOf(LocalDate day, ZoneId zone) {
        Instant start = day.atStartOfDay(zone).toInstant();
        return start.getEpochSecond();
    }

    private static void dateBucket(SqlBuilder b, String column, List<Period> buckets) {
        b.sql("CASE");
        for (int i = 0; i < buckets.size(); i++) {
            Period p = buckets.get(i);
            b.sql(" WHEN " + column + " >= ").param(p.start()).sql(" AND " + column + " < ").param(p.end())
                    .sql(" THEN ").param(i);
        }
        b.sql(" ELSE -1 END");
    }
}
