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
 * the entered-stage mask). The rows are grouped by the cell key, so only cells leave the
 * database, never opportunity rows. Time in stage is summed from the transition rows, each
 * holding the instant of the next one.
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
        int open = query.process().openStageCount();
        return db.snapshot("computing funnel cells", c -> {
            FunnelCells.Builder out = FunnelCells.builder();
            for (String setting : db.dialect().aggregationSettingsSql()) {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute(setting);
                }
            }
            SqlBuilder cells = population(query);
            cells.sql(", h AS (SELECT owner_id, currency, st, mask, prior_st, prior_mask, bucket,"
                    + " CASE WHEN st >= ").param(open).sql(" AND st = cur_stage THEN close_reason END AS reason,"
                    + " CASE WHEN st = ").param(open + 1).sql(" AND st = cur_stage THEN close_winner END AS competitor,"
                    + " COALESCE(amount_minor, 0) AS amount,"
                    + " COALESCE(amount_minor, 0) * CASE WHEN st = cur_stage THEN probability ELSE CASE st");
            List<org.crmkit.core.Stage> stages = query.process().stages();
            for (int i = 0; i < stages.size(); i++) {
                cells.sql(" WHEN ").param(i).sql(" THEN ").param(stages.get(i).defaultProbability());
            }
            cells.sql(" END END AS weighted,"
                    + " CASE WHEN st = ").param(open).sql(" THEN CASE WHEN st = cur_stage AND revenue_minor IS NOT NULL"
                    + " THEN revenue_minor ELSE COALESCE(amount_minor, 0) END ELSE 0 END AS revenue,"
                    + " CASE WHEN st >= ").param(open).sql(" THEN GREATEST(0, last_s - created_s) END AS cycle_s"
                    + " FROM g WHERE bucket >= 0),"
                    // integer division: both operands are integers, so whole days, truncated
                    + " k AS (SELECT h.*, cycle_s / 86400 AS cycle_days FROM h)"
                    + " SELECT owner_id, currency, st, mask, prior_st, prior_mask, bucket, reason, competitor,"
                    + " cycle_days, COUNT(*) AS n, SUM(amount) AS amount, SUM(weighted) AS weighted,"
                    + " SUM(revenue) AS revenue, SUM(cycle_s) AS cycle_sum, COUNT(cycle_s) AS cycle_n FROM k"
                    + " GROUP BY owner_id, currency, st, mask, prior_st, prior_mask, bucket, reason, competitor,"
                    + " cycle_days");
            // Monetary's currency lookup is slow, and a book has a handful of currencies
            Map<String, CurrencyUnit> currencies = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(cells.text())) {
                cells.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addCell(out, rs, open, currencies);
                    }
                }
            }
            SqlBuilder times = population(query);
            // an opportunity read from its row (fast = 1) has its time per stage on the rows
            // holding stage_total_s; a replayed one (in r) sums the visits left before until,
            // each one row holding the instant of the next transition. g is named once, so
            // the planner inlines it and hash-joins the population with the transitions.
            times.sql(", s AS (SELECT g.owner_id, g.bucket, x.stage, x.sec FROM g JOIN ("
                    + "SELECT opp_id, 1 AS fast, to_index AS stage, stage_total_s AS sec FROM crm_opp_transition"
                    + " WHERE stage_total_s IS NOT NULL AND to_index < ").param(open)
                    .sql(" UNION ALL SELECT t.opp_id, 0 AS fast, t.to_index AS stage,"
                            + " CAST(SUM(t.next_s - t.at_s) AS BIGINT) AS sec"
                            + " FROM r JOIN crm_opp_transition t ON t.opp_id = r.opp_id WHERE t.to_index < ")
                    .param(open).sql(" AND ").before("t.next", query.until())
                    .sql(" GROUP BY t.opp_id, t.to_index) x ON x.opp_id = g.id AND x.fast = g.fast"
                            + " WHERE g.bucket >= 0),"
                    + " d AS (SELECT s.*, sec / 86400 AS days FROM s)"
                    + " SELECT owner_id, stage, bucket, days, COUNT(*) AS n, SUM(sec) AS sec_sum FROM d"
                    + " GROUP BY owner_id, stage, bucket, days");
            try (PreparedStatement ps = c.prepareStatement(times.text())) {
                times.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long n = rs.getLong("n");
                        out.addStageTime(new StageTimeKey(ManagerId.of(rs.getString("owner_id")), rs.getInt("stage"),
                                rs.getInt("bucket")), new DurationSummary(n, exactLong(rs, "sec_sum"),
                                        DayHistogram.of(new int[] {rs.getInt("days")}, new long[] {n})));
                    }
                }
            }
            return out.build();
        });
    }

    private static void addCell(FunnelCells.Builder out, ResultSet rs, int open, Map<String, CurrencyUnit> currencies)
            throws SQLException {
        int stage = rs.getInt("st");
        OpportunityStatus status = stage == open ? OpportunityStatus.WON
                : stage == open + 1 ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
        CurrencyUnit currency = currencies.computeIfAbsent(rs.getString("currency"), Amounts::currency);
        CellKey key = new CellKey(ManagerId.of(rs.getString("owner_id")), status, stage, rs.getLong("mask"),
                rs.getInt("prior_st"), rs.getLong("prior_mask"), currency, rs.getString("reason"),
                rs.getString("competitor"), rs.getInt("bucket"));
        long cycleCount = rs.getLong("cycle_n");
        DurationSummary cycle = cycleCount == 0 ? DurationSummary.empty()
                : new DurationSummary(cycleCount, exactLong(rs, "cycle_sum"),
                        DayHistogram.of(new int[] {rs.getInt("cycle_days")}, new long[] {cycleCount}));
        out.add(key, new CellMeasures(rs.getLong("n"), exactLong(rs, "amount"), exactLong(rs, "weighted"),
                exactLong(rs, "revenue"), cycle));
    }

    // SUM over BIGINT is NUMERIC on some databases; the engine works in exact longs
    private static long exactLong(ResultSet rs, String column) throws SQLException {
        java.math.BigDecimal v = rs.getBigDecimal(column);
        return v == null ? 0 : v.longValueExact();
    }

    /**
     * {@code WITH r AS (...), f AS (the population with its state as of until), g AS (f with
     * its bucket)}: the part both cell queries share. An opportunity whose last transition is
     * before {@code until} is in the state stored on its row (stage, entered mask), so only
     * the others ({@code r}: usually none for an "as of now" query, found through the index on
     * the last transition) are replayed from the transition table.
     */
    private SqlBuilder population(CellQuery q) {
        Dialect dialect = db.dialect();
        SqlBuilder b = new SqlBuilder();
        b.sql("WITH r AS (");
        replay(b, q, q.until(), dialect);
        b.sql(")");
        if (q.activityFrom() != null) {
            // only opportunities active in the window count, so their last transition is at or
            // after activityFrom and the prior state always needs a replay
            b.sql(", p AS (");
            replay(b, q, q.activityFrom(), dialect);
            b.sql(")");
        }
        b.sql(", f AS (");
        stateColumns(b, q, "1", "o.stage_index", "o.last_transition_s", "o.entered_mask");
        b.sql(" FROM crm_opportunity o");
        priorJoin(b, q);
        b.sql(" WHERE ");
        populationFilter(b, q);
        b.sql(" AND ").before("o.last_transition", q.until());
        if (q.activityFrom() != null) {
            b.sql(" AND ").notBefore("o.last_transition", q.activityFrom());
        }
        b.sql(" UNION ALL ");
        stateColumns(b, q, "0", "tl.to_index", "tl.at_s", "r.mask");
        b.sql(" FROM r JOIN crm_opportunity o ON o.id = r.opp_id"
                + " JOIN crm_opp_transition tl ON tl.opp_id = r.opp_id AND tl.pos = r.last_pos");
        priorJoin(b, q);
        if (q.activityFrom() != null) {
            b.sql(" WHERE EXISTS (SELECT 1 FROM crm_opp_transition x WHERE x.opp_id = o.id AND ")
                    .notBefore("x.at", q.activityFrom()).sql(" AND ").before("x.at", q.until()).sql(")");
        }
        b.sql("), g AS (SELECT f.*, ");
        int open = q.process().openStageCount();
        if (q.bucketBy() == BucketBy.NONE) {
            b.sql("0");
        } else if (q.bucketBy() == BucketBy.CREATED) {
            instantBucket(b, "created_s", q.buckets(), q.zone());
        } else {
            b.sql("CASE WHEN st < ").param(open).sql(" THEN ");
            dateBucket(b, "expected_close_date", q.buckets());
            b.sql(" WHEN st = cur_stage THEN ");
            dateBucket(b, "close_date", q.buckets());
            b.sql(" ELSE ");
            instantBucket(b, "last_s", q.buckets(), q.zone());
            b.sql(" END");
        }
        return b.sql(" AS bucket FROM f)");
    }

    /**
     * The replay of the population members with a transition at or after an instant: per
     * opportunity, the position of its last transition before the instant and the mask of
     * the open stages entered before it.
     */
    private static void replay(SqlBuilder b, CellQuery q, Instant asOf, Dialect dialect) {
        b.sql("SELECT t.opp_id, MAX(t.pos) AS last_pos, " + dialect.bitOrAggregate("t.to_bit") + " AS mask"
                + " FROM crm_opportunity o JOIN crm_opp_transition t ON t.opp_id = o.id WHERE ");
        populationFilter(b, q);
        b.sql(" AND ").notBefore("o.last_transition", asOf).sql(" AND ").before("t.at", asOf)
                .sql(" GROUP BY t.opp_id");
    }

    private static void stateColumns(SqlBuilder b, CellQuery q, String fast, String stage, String lastSecond,
            String mask) {
        b.sql("SELECT " + fast + " AS fast, o.id, o.owner_id, o.currency, o.created_s, o.stage_index AS cur_stage, o.probability,"
                + " o.amount_minor, o.revenue_minor, o.close_reason, o.close_winner, o.close_date,"
                + " o.expected_close_date, " + stage + " AS st, " + lastSecond + " AS last_s, " + mask + " AS mask, ");
        if (q.activityFrom() != null) {
            b.sql("COALESCE(tp.to_index, -1) AS prior_st, COALESCE(p.mask, 0) AS prior_mask");
        } else {
            b.sql("-1 AS prior_st, 0 AS prior_mask");
        }
    }

    private static void priorJoin(SqlBuilder b, CellQuery q) {
        if (q.activityFrom() != null) {
            b.sql(" LEFT JOIN p ON p.opp_id = o.id"
                    + " LEFT JOIN crm_opp_transition tp ON tp.opp_id = p.opp_id AND tp.pos = p.last_pos");
        }
    }

    /** The conditions on the opportunity row {@code o} alone. */
    private static void populationFilter(SqlBuilder b, CellQuery q) {
        b.sql("o.process_id = ").param(q.process().id().value()).sql(" AND ")
                .in("o.owner_id", q.owners().stream().map(ManagerId::value).sorted().toList());
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
