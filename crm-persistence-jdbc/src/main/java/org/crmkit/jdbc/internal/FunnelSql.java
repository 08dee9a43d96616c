package org.crmkit.jdbc.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import javax.money.CurrencyUnit;
import org.crmkit.core.ClientId;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Period;
import org.crmkit.core.Stage;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.jdbc.Dialect;

/**
 * The SQL of an aggregate query, generated from the definitions of {@code AggregateQuery} (and
 * tested against its reference, {@code FunnelReference}): two grouped statements over one
 * population, so the database returns a few rows per owner instead of one per opportunity.
 *
 * <p>The population {@code p} has one row per opportunity of the query with its state as of the
 * query's instant ({@code org.crmkit.core.StageReplay}): read from the row's derived columns when
 * the whole history is in effect (no transition after the instant and no activity window, the
 * usual "as of now" case), else replayed from the transition table in one grouped pass
 * ({@code r}): the last transition in effect gives the stage, {@code BIT_OR} of {@code to_bit}
 * the entered mask, {@code MAX} of the open {@code to_index} the furthest stage, the transitions
 * before the window the prior state, and the visits whose next transition is in effect the time
 * in each stage.
 * <ul>
 *   <li>{@link #figures}: {@code GROUP BY} owner, currency, stage and the columns the counting
 *       policy reads (furthest stage for LINEAR, the entered mask for STRICT; the prior ones in a
 *       window, and whether a close falls in it), plus bucket and, for win/loss, reason and
 *       winning competitor; count and exact sums of amount, weighted amount and revenue.</li>
 *   <li>{@link #durations}: per owner, the durations of its opportunities (each time in stage, the
 *       cycle of a counted close) as one list per owner; the exact day
 *       histograms are counted from them as they are read.</li>
 * </ul>
 * The population leaves out the deals whose tracked values changed after the instant (their
 * {@code last_change}): {@code JdbcFunnelSource} adds them as they were then.
 * Everything that differs between databases comes from {@link Dialect}.
 */
final class FunnelSql {
    /** Columns of {@link #figures}, by position. */
    static final int OWNER = 1;
    static final int CURRENCY = 2;
    static final int STAGE = 3;
    static final int REACH = 4;
    static final int COUNT = 5;
    static final int AMOUNT = 6;
    static final int WEIGHTED = 7;
    static final int REVENUE = 8;
    /** Then, in a window: prior stage, prior reach, counted close; then bucket; then reason, winner. */
    static final int EXTRA = 9;


    private final AggregateQuery q;
    private final Dialect dialect;
    private final boolean ownersInSql;
    private final int n;
    private final int timedStages;
    private final boolean window;
    private final boolean bucketed;
    private final boolean strict;

    FunnelSql(AggregateQuery q, Dialect dialect, boolean ownersInSql) {
        this.q = q;
        this.dialect = dialect;
        this.ownersInSql = ownersInSql;
        this.n = q.openStages();
        this.timedStages = Math.min(n, DerivedColumns.STAGE_TIME_COLUMNS);
        this.window = q.hasActivityWindow();
        this.bucketed = q.bucketBy() != BucketBy.NONE;
        this.strict = q.policy() == CountingPolicy.STRICT;
    }

    /** Whether the query groups with a window (prior columns and the counted-close flag present). */
    boolean window() {
        return window;
    }

    /** Whether the rows carry a bucket column. */
    boolean bucketed() {
        return bucketed;
    }

    /**
     * The statement of the per-owner counts and money sums.
     *
     * @return the SQL with its parameters
     */
    SqlBuilder figures() {
        SqlBuilder b = new SqlBuilder();
        population(b, true);
        String keys = "owner_id, currency, st, " + (strict ? "mask" : "furthest");
        if (window) {
            keys += ", pst, " + (strict ? "pmask" : "pfurthest") + ", counted";
        }
        if (bucketed) {
            keys += ", bucket";
        }
        if (q.winLoss()) {
            keys += ", reason, winner";
        }
        // sums cast back to BIGINT (both databases sum BIGINT into NUMERIC): a sum beyond it fails
        // with SQLState 22003, reported as an AmountOverflowException
        b.sql(" SELECT owner_id, currency, st, " + (strict ? "mask" : "furthest") + ", COUNT(*),"
                + " CAST(SUM(amount) AS BIGINT), CAST(SUM(amount * prob) AS BIGINT), CAST(SUM(revenue) AS BIGINT)");
        if (window) {
            b.sql(", pst, " + (strict ? "pmask" : "pfurthest") + ", counted");
        }
        if (bucketed) {
            b.sql(", bucket");
        }
        if (q.winLoss()) {
            b.sql(", reason, winner");
        }
        b.sql(" FROM p");
        if (bucketed) {
            b.sql(" WHERE bucket >= 0");
        }
        return b.sql(" GROUP BY " + keys);
    }

    /**
     * The statement of the durations: per owner (and bucket) the list of its opportunities' durations, one token per opportunity of
     * {@code n + 2} comma-separated fields (the seconds in each timed open stage, then the cycle
     * of a counted loss, then of a counted win; empty where none), tokens separated by
     * {@code ';'}. The database does not group them by whole day: grouping about three durations
     * per opportunity into (owner, kind, day) took several times longer than the whole rest of
     * the query on PostgreSQL (measured at 1M opportunities), so the day histograms are counted
     * while the lists are read. One row holds an owner's durations (about 30 characters per
     * opportunity), so a read's memory is bounded by the largest owner's book, not the store's.
     *
     * @return the SQL with its parameters
     */
    SqlBuilder durations() {
        SqlBuilder b = new SqlBuilder();
        population(b, false);
        String bucket = bucketed ? ", bucket" : "";
        String counted = window ? "counted = 1" : "st >= " + n;
        b.sql(" SELECT owner_id" + bucket + ", STRING_AGG(CONCAT(");
        for (int s = 0; s < timedStages; s++) {
            b.sql("stage_s_" + s + ", ',', ");
        }
        b.sql("CASE WHEN " + counted + " AND st = " + (n + 1) + " THEN cycle END, ',', CASE WHEN " + counted
                + " AND st = " + n + " THEN cycle END), ';') FROM p");
        if (bucketed) {
            b.sql(" WHERE bucket >= 0");
        }
        return b.sql(" GROUP BY owner_id" + bucket);
    }

    /**
     * {@code WITH r AS (replay), p AS (population)}: the rows a statement groups, with the
     * columns that statement reads only (the database computes every column of a union's branch).
     */
    private void population(SqlBuilder b, boolean figures) {
        b.sql("WITH r AS (");
        replay(b);
        b.sql("), p AS (");
        if (!window) {
            // the whole history is in effect: the end state derived when the row was written
            b.sql("SELECT o.owner_id, o.stage_index AS st");
            if (figures) {
                b.sql(", o.currency, o." + (strict ? "entered_mask AS mask" : "furthest_open_index AS furthest")
                        + ", o.probability AS prob, COALESCE(o.amount_minor, 0) AS amount, CASE WHEN o.stage_index = ")
                        .param(n).sql(" THEN COALESCE(o.revenue_minor, o.amount_minor, 0) ELSE 0 END AS revenue");
                if (q.winLoss()) {
                    b.sql(", CASE WHEN o.stage_index >= ").param(n).sql(" THEN o.close_reason END AS reason,"
                            + " CASE WHEN o.stage_index = ").param(n + 1).sql(" THEN o.close_winner END AS winner");
                }
            } else {
                b.sql(", CASE WHEN o.last_transition_s > o.created_s THEN o.last_transition_s - o.created_s ELSE 0"
                        + " END AS cycle");
                for (int s = 0; s < timedStages; s++) {
                    b.sql(", o.stage_s_" + s);
                }
            }
            if (bucketed) {
                b.sql(", ");
                bucket(b, "o.stage_index", "1", "o.last_transition_s");
                b.sql(" AS bucket");
            }
            b.sql(" FROM crm_opportunity o WHERE ");
            populationFilter(b);
            b.sql(" AND ").notAfter("o.last_transition", q.asOf());
            b.sql(" UNION ALL ");
        }
        // replayed: the state from the transitions in effect (r), the stage from the last of them
        String same = "CASE WHEN tl.to_index = o.stage_index THEN 1 ELSE 0 END";
        b.sql("SELECT o.owner_id, tl.to_index AS st");
        if (figures) {
            b.sql(", o.currency, r." + (strict ? "mask" : "furthest")
                    + ", CASE WHEN tl.to_index = o.stage_index THEN o.probability ELSE CASE tl.to_index");
            List<Stage> stages = q.process().stages();
            for (int i = 0; i < n; i++) {
                b.sql(" WHEN " + i + " THEN ").param(stages.get(i).defaultProbability());
            }
            b.sql(" ELSE 0 END END AS prob, COALESCE(o.amount_minor, 0) AS amount, CASE WHEN tl.to_index = ")
                    .param(n).sql(" THEN CASE WHEN " + same + " = 1 THEN COALESCE(o.revenue_minor, o.amount_minor, 0)"
                            + " ELSE COALESCE(o.amount_minor, 0) END ELSE 0 END AS revenue");
            if (q.winLoss()) {
                b.sql(", CASE WHEN tl.to_index >= ").param(n).sql(" AND " + same + " = 1 THEN o.close_reason END"
                        + " AS reason, CASE WHEN tl.to_index = ").param(n + 1).sql(" AND " + same + " = 1 THEN"
                        + " o.close_winner END AS winner");
            }
            if (window) {
                b.sql(", COALESCE(tp.to_index, -1) AS pst, COALESCE(r." + (strict ? "pmask, 0) AS pmask"
                        : "pfurthest, -1) AS pfurthest"));
            }
        } else {
            b.sql(", CASE WHEN tl.at_s > o.created_s THEN tl.at_s - o.created_s ELSE 0 END AS cycle");
            for (int s = 0; s < timedStages; s++) {
                b.sql(", r.s" + s + " AS stage_s_" + s);
            }
        }
        if (window) {
            b.sql(", CASE WHEN tl.to_index >= ").param(n).sql(" AND ").notBefore("tl.at", q.activityFrom())
                    .sql(" THEN 1 ELSE 0 END AS counted");
        }
        if (bucketed) {
            b.sql(", ");
            bucket(b, "tl.to_index", same, "tl.at_s");
            b.sql(" AS bucket");
        }
        b.sql(" FROM r JOIN crm_opportunity o ON o.id = r.opp_id"
                + " JOIN crm_opp_transition tl ON tl.opp_id = r.opp_id AND tl.pos = r.last_pos");
        if (window && figures) {
            b.sql(" LEFT JOIN crm_opp_transition tp ON tp.opp_id = r.opp_id AND tp.pos = r.prior_pos");
        }
        b.sql(")");
    }

    /**
     * The replay ({@code r}) of the population members whose state is not the one on their row,
     * in one grouped pass over their transitions in effect: without a window those with a
     * transition after the instant (few for an "as of now" query, found through the index on
     * the last transition); with one, every member changed in it.
     */
    private void replay(SqlBuilder b) {
        Instant from = q.activityFrom();
        b.sql("SELECT t.opp_id, MAX(t.pos) AS last_pos, " + dialect.bitOrAggregate("t.to_bit") + " AS mask,"
                + " MAX(CASE WHEN t.to_index < ").param(n).sql(" THEN t.to_index END) AS furthest");
        for (int s = 0; s < timedStages; s++) {
            // a visit is finished when the transition after it is in effect
            // SUM of BIGINT is NUMERIC on both databases: cast back, so a day is an integer division
            b.sql(", CAST(SUM(CASE WHEN t.to_index = " + s + " AND ").notAfter("t.next", q.asOf())
                    .sql(" THEN t.next_s - t.at_s END) AS BIGINT) AS s" + s);
        }
        if (from != null) {
            SqlBuilder before = new SqlBuilder().before("t.at", from);
            b.sql(", MAX(CASE WHEN ").append(before).sql(" THEN t.pos END) AS prior_pos, ");
            b.sql(dialect.bitOrAggregate("CASE WHEN " + before.text() + " THEN t.to_bit END")).params(before)
                    .sql(" AS pmask, MAX(CASE WHEN ").append(before).sql(" AND t.to_index < ").param(n)
                    .sql(" THEN t.to_index END) AS pfurthest");
        }
        b.sql(" FROM crm_opportunity o JOIN crm_opp_transition t ON t.opp_id = o.id WHERE ");
        populationFilter(b);
        if (from == null) {
            b.sql(" AND ").after("o.last_transition", q.asOf());
        } else {
            b.sql(" AND ").notBefore("o.last_transition", from);
        }
        b.sql(" AND ").notAfter("t.at", q.asOf()).sql(" GROUP BY t.opp_id");
        if (from != null) {
            b.sql(" HAVING MAX(CASE WHEN ").notBefore("t.at", from).sql(" THEN 1 ELSE 0 END) = 1");
        }
    }

    /** The conditions on the opportunity row {@code o} alone. */
    private void populationFilter(SqlBuilder b) {
        b.sql("o.process_id = ").param(q.process().id().value());
        // a deal changed after the instant is reconstructed from its field history in Java
        // (JdbcFunnelSource): its row holds values of now, not of then
        b.sql(" AND (o.last_change_s IS NULL OR ").notAfter("o.last_change", q.asOf()).sql(")");
        List<String> owners = q.owners().stream().map(ManagerId::value).sorted().toList();
        if (ownersInSql && dialect.hashesArrayMembership()) {
            // one array parameter, whatever the number of owners (no parameter limit)
            b.sql(" AND ").anyOf("o.owner_id", owners);
        } else if (ownersInSql) {
            b.sql(" AND ").in("o.owner_id", owners);
        }
        if (!q.filter().clients().isEmpty()) {
            b.sql(" AND ").in("o.client_id", q.filter().clients().stream().map(ClientId::value).sorted().toList());
        }
        if (!q.filter().currencies().isEmpty()) {
            b.sql(" AND ").in("o.currency",
                    q.filter().currencies().stream().map(CurrencyUnit::getCurrencyCode).sorted().toList());
        }
        b.sql(" AND ").notAfter("o.created", q.asOf());
        if (q.createdFrom() != null) {
            b.sql(" AND ").notBefore("o.created", q.createdFrom());
        }
        if (q.createdUntil() != null) {
            b.sql(" AND ").before("o.created", q.createdUntil());
        }
    }

    /**
     * The bucket index of a row: by creation date, or by close date (the expected close date of
     * an open state, else the date of the closing transition in the query's zone, as
     * {@code BucketBy.CLOSE} defines it).
     */
    private void bucket(SqlBuilder b, String stage, String same, String lastSecond) {
        if (q.bucketBy() == BucketBy.CREATED) {
            instantBucket(b, "o.created_s", q.buckets(), q.zone());
            return;
        }
        b.sql("CASE WHEN " + stage + " < ").param(n).sql(" THEN ");
        dateBucket(b, "o.expected_close_date", q.buckets());
        b.sql(" ELSE ");
        instantBucket(b, lastSecond, q.buckets(), q.zone());
        b.sql(" END");
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
        return day.atStartOfDay(zone).toInstant().getEpochSecond();
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
