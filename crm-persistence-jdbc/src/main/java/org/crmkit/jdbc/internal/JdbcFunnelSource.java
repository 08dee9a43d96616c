package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.FunnelStats.Count;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.FunnelStats.Money;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.jdbc.Dialect;

/**
 * Answers the funnel engine's aggregate queries in SQL: the database groups each owner's
 * opportunities ({@link FunnelSql}) and returns a few rows per owner (one per combination of
 * stage and counting columns, and the day histograms of the durations), which are added into
 * one {@link FunnelStats} per owner and bucket as they are read. Both statements run in one
 * repeatable-read transaction (they see the same data) and are read with a cursor (bounded
 * memory).
 *
 * <p>Before it answers, the store checks that every opportunity of the process was derived for
 * the queried definition of the process (its {@code process_hash}); otherwise it refuses with the
 * opportunity named, since stage indexes derived for another order would count wrong.
 *
 * <p>A deal whose tracked values changed after the query's instant (its {@code last_change},
 * schema version 10) counts as it was then ({@link FunnelReference}): the statements leave it
 * out, and its row, transitions and field history are read through the index on
 * {@code last_change_s}, it is reconstructed and added by the reference definition. Every other deal's row holds its values
 * of then. As of now there is none to reconstruct; as of a past instant the cost grows with the
 * number of deals changed since (measured in {@code docs/benchmarks.md}).
 *
 * <p>Two cases are answered in Java from the store's opportunities, with the reference
 * definition ({@link FunnelReference}): a filter with a custom predicate (it cannot run in SQL),
 * and a process with more open stages than the store keeps time-in-stage columns for ({@value
 * DerivedColumns#STAGE_TIME_COLUMNS}).
 */
public final class JdbcFunnelSource implements FunnelSource {
    /** The largest owner set an IN list tests per row in SQL on a database without hashed arrays. */
    private static final int LINEAR_OWNER_TEST_LIMIT = 64;
    /** SQLState of a value beyond its type's range (a sum beyond 64 bits). */
    private static final String NUMERIC_OUT_OF_RANGE = "22003";

    /** The largest owner set asked of the repository by id; beyond it the process's opportunities are filtered here. */
    private static final int OWNER_QUERY_LIMIT = 1_000;

    private final Db db;
    private final MaintainedFunnel maintained;
    private final OpportunityRepository opportunities;
    private final int fetchSize;

    /**
     * Creates the source.
     *
     * @param db the database
     * @param opportunities the opportunity repository of the same store
     * @param fetchSize rows per round trip of the grouped reads
     * @param maintained the aggregates the store maintains, which answer first when they can
     */
    public JdbcFunnelSource(Db db, OpportunityRepository opportunities, int fetchSize, MaintainedFunnel maintained) {
        this.db = db;
        this.maintained = maintained;
        this.opportunities = opportunities;
        this.fetchSize = fetchSize;
    }

    private static boolean inJava(AggregateQuery query) {
        return !query.filter().isStructured() || query.openStages() > DerivedColumns.STAGE_TIME_COLUMNS;
    }

    @Override
    public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
        Objects.requireNonNull(query, "query");
        if (inJava(query)) {
            FunnelReference.Accumulator acc = FunnelReference.accumulator(query);
            try (Stream<Opportunity> unchanged = unchangedSince(query)) {
                unchanged.forEach(acc::add);
            }
            db.snapshot("reading the opportunities changed after the funnel's instant", c -> {
                JdbcOpportunities.forEachChangedAfter(c, query.process().id().value(), query.asOf(), fetchSize,
                        !query.filter().isStructured(), acc::add);
                return null;
            });
            return acc.result();
        }
        boolean ownersInSql = db.dialect().hashesArrayMembership() || query.owners().size() <= LINEAR_OWNER_TEST_LIMIT;
        FunnelSql sql = new FunnelSql(query, db.dialect(), ownersInSql);
        return db.snapshot("aggregating the funnel of process " + query.process().id(), c -> {
            requireCurrentDerivation(c, query);
            OwnerAggregates<FunnelStats> kept = maintained.answer(c, query);
            if (kept != null) {
                return kept;
            }
            SqlBuilder.aggregationSettings(c, db.dialect());
            Assembly a = new Assembly(query);
            try {
                sql.figures().forEachRow(c, fetchSize, rs -> a.addFigures(rs, sql));
            } catch (SQLException e) {
                if (NUMERIC_OUT_OF_RANGE.equals(e.getSQLState())) {
                    throw new AmountOverflowException("a funnel sum of process " + query.process().id(), e);
                }
                throw e;
            }
            sql.durations().forEachRow(c, fetchSize, rs -> a.addDurations(rs, sql));
            // the deals the statements left out, as they were at the query's instant
            FunnelReference.Accumulator changed = FunnelReference.accumulator(query);
            JdbcOpportunities.forEachChangedAfter(c, query.process().id().value(), query.asOf(), fetchSize,
                    false, changed::add);
            return a.build().plus(changed.result());
        });
    }

    /**
     * {@inheritDoc} One grouped statement through the index on {@code history_start_s} (schema
     * version 10): nothing to read for an instant after every history start.
     */
    @Override
    public Map<ManagerId, Long> historyStartsAfter(org.crmkit.core.SalesProcess process, java.time.Instant asOf) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(asOf, "asOf");
        SqlBuilder b = new SqlBuilder().sql("SELECT o.owner_id, COUNT(*) FROM crm_opportunity o WHERE o.process_id = ")
                .param(process.id().value()).sql(" AND o.history_start_s >= ").param(asOf.getEpochSecond())
                .sql(" AND ").after("o.history_start", asOf).sql(" AND ").notAfter("o.created", asOf)
                .sql(" GROUP BY o.owner_id");
        return db.snapshot("counting the opportunities whose history starts after an instant", c -> {
            Map<ManagerId, Long> out = new HashMap<>();
            b.forEachRow(c, fetchSize, rs -> out.put(ManagerId.of(rs.getString(1)), rs.getLong(2)));
            return out;
        });
    }

    /**
     * The opportunities of the query's owners whose tracked values did not change after its
     * instant (their values now are those of then), streamed from the repository; the others
     * are read by {@link JdbcOpportunities#forEachChangedAfter}, whatever their owner now.
     */
    private Stream<Opportunity> unchangedSince(AggregateQuery query) {
        // a very large owner set is not sent to the repository (a database bounds its parameters)
        OpportunityQuery q = query.owners().size() <= OWNER_QUERY_LIMIT ? OpportunityQuery.ownedBy(query.owners())
                : OpportunityQuery.all();
        return opportunities.stream(q.withProcess(query.process().id()))
                .filter(o -> !o.changedAfter(query.asOf()));
    }


    /**
     * Refuses a query whose process definition is not the one every stored opportunity of the
     * process was derived with (or a row derived before the store kept fingerprints and found
     * inconsistent when it was upgraded).
     */
    private static void requireCurrentDerivation(Connection c, AggregateQuery query) throws SQLException {
        long fingerprint = DerivedColumns.fingerprint(query.process());
        String process = query.process().id().value();
        // three index probes on (process_id, process_hash): cheap when every row is current
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM crm_opportunity WHERE process_id = ?"
                + " AND (process_hash IS NULL OR process_hash < ? OR process_hash > ?)")) {
            ps.setMaxRows(1);
            ps.setFetchSize(1);
            ps.setString(1, process);
            ps.setLong(2, fingerprint);
            ps.setLong(3, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new ValidationException("query.process", process,
                            "the definition the stored opportunities were derived with; opportunity " + rs.getString(1)
                                    + " was derived for another order of the stages. Save this definition of the"
                                    + " process to the store (which re-derives its opportunities) or query with the"
                                    + " stored one");
                }
            }
        }
    }

    @Override
    public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
        // drill-down is rare and small: the opportunities of the query's owners, read with
        // cursors, and those changed since the query's instant (whatever their owner now)
        List<OpportunityId> changed = new ArrayList<>();
        db.snapshot("reading the opportunities changed after the funnel's instant", c -> {
            JdbcOpportunities.forEachChangedAfter(c, query.process().id().value(), query.asOf(), fetchSize,
                    !query.filter().isStructured(), o -> {
                if (FunnelReference.matches(query, o, measure, stage)) {
                    changed.add(o.id());
                }
            });
            return null;
        });
        Stream<Opportunity> unchanged = unchangedSince(query);
        return Stream.concat(FunnelReference.ids(query, measure, stage, unchanged), changed.stream())
                .onClose(unchanged::close);
    }

    /**
     * Adds {@code count} opportunities in the same state to a builder, by the definitions of
     * {@code AggregateQuery}: the one place a state's figures are decided, for the grouped rows
     * of a scan and for the contribution a write makes to the maintained aggregates.
     *
     * @param b the builder
     * @param n the open stages of the process
     * @param reached the open stages counted as reached under the query's policy
     * @param counted whether a closed state counts as won or lost
     * @param winLoss whether to fill the win/loss side tables
     * @param currency the currency
     * @param stage the stage index of the state
     * @param mask the entered mask the policy reads (its highest bit is the furthest open stage)
     * @param count how many opportunities
     * @param amount their summed amount in minor units
     * @param weighted their summed amount × probability
     * @param revenue their summed won revenue
     * @param reason the close reason of a counted close, else null
     * @param winner the winning competitor of a counted loss, else null
     */
    static void addState(FunnelStats.Builder b, int n, long reached, boolean counted, boolean winLoss,
            CurrencyUnit currency, int stage, long mask, long count, long amount, long weighted, long revenue,
            String reason, String winner) {
        b.addCount(Count.COUNT, count);
        for (long m = reached; m != 0; m &= m - 1) {
            int s = Long.numberOfTrailingZeros(m);
            b.addCount(Count.REACHED, s, count);
            b.addMinor(Money.REACHED_AMOUNT, s, currency, amount);
        }
        if (stage < n) {
            b.addCount(Count.OPEN, count);
            b.addCount(Count.AT, stage, count);
            b.addMinor(Money.AT_AMOUNT, stage, currency, amount);
            b.addMinor(Money.AT_WEIGHTED, stage, currency, weighted);
            b.addMinor(Money.OPEN_AMOUNT, currency, amount);
            b.addMinor(Money.OPEN_WEIGHTED, currency, weighted);
            return;
        }
        if (!counted) {
            return;
        }
        boolean won = stage == n;
        Count reachedBy = won ? Count.WON_REACHED : Count.LOST_REACHED;
        for (long m = reached; m != 0; m &= m - 1) {
            b.addCount(reachedBy, Long.numberOfTrailingZeros(m), count);
        }
        if (won) {
            b.addCount(Count.WON, count);
            b.addMinor(Money.WON_REVENUE, currency, revenue);
        } else {
            b.addCount(Count.LOST, count);
            b.addMinor(Money.LOST_AMOUNT, currency, amount);
            int furthest = 63 - Long.numberOfLeadingZeros(mask);
            if (furthest >= 0) {
                b.addCount(Count.DROPPED, furthest, count);
                b.addMinor(Money.DROPPED_AMOUNT, furthest, currency, amount);
            }
        }
        if (winLoss) {
            b.addClose(won ? OpportunityStatus.WON : OpportunityStatus.LOST, reason, won ? null : winner, currency,
                    count, won ? revenue : amount);
        }
    }

    /** Adds the grouped rows into one builder per owner and bucket, by the definitions of {@code AggregateQuery}. */
    private static final class Assembly {
        private final AggregateQuery q;
        private final int n;
        private final boolean strict;
        private final Map<String, ManagerId> owners = new HashMap<>();
        private final Map<String, FunnelStats.Builder[]> parts = new HashMap<>();
        // Monetary's currency lookup is slow, and a book has a handful of currencies
        private final Map<String, CurrencyUnit> currencies = new HashMap<>();

        Assembly(AggregateQuery q) {
            this.q = q;
            this.n = q.openStages();
            this.strict = q.policy() == CountingPolicy.STRICT;
            for (ManagerId m : q.owners()) {
                owners.put(m.value(), m);
            }
        }

        private FunnelStats.Builder builder(String owner, int bucket) {
            FunnelStats.Builder[] bs = parts.computeIfAbsent(owner, o -> new FunnelStats.Builder[q.bucketCount()]);
            if (bs[bucket] == null) {
                bs[bucket] = FunnelStats.builder(n);
            }
            return bs[bucket];
        }

        /** The entered mask the policy reads: the mask itself (STRICT), or just its highest bit (LINEAR). */
        private long mask(long reach) {
            return strict ? reach : reach < 0 ? 0 : 1L << reach;
        }

        void addFigures(ResultSet rs, FunnelSql sql) throws SQLException {
            String owner = rs.getString(FunnelSql.OWNER);
            if (!owners.containsKey(owner)) {
                return; // not an owner of the query: a database without hashed arrays leaves a large set to this test
            }
            CurrencyUnit currency = currencies.computeIfAbsent(rs.getString(FunnelSql.CURRENCY), Amounts::currency);
            int stage = rs.getInt(FunnelSql.STAGE);
            long mask = mask(rs.getLong(FunnelSql.REACH));
            long count = rs.getLong(FunnelSql.COUNT);
            long amount = rs.getLong(FunnelSql.AMOUNT);
            long weighted = rs.getLong(FunnelSql.WEIGHTED);
            long revenue = rs.getLong(FunnelSql.REVENUE);
            int col = FunnelSql.EXTRA;
            int priorStage = -1;
            long priorMask = 0;
            boolean counted = stage >= n;
            if (sql.window()) {
                priorStage = rs.getInt(col++);
                priorMask = mask(rs.getLong(col++));
                counted = rs.getInt(col++) == 1;
            }
            int bucket = sql.bucketed() ? rs.getInt(col++) : 0;
            String reason = null;
            String winner = null;
            if (q.winLoss()) {
                reason = rs.getString(col++);
                winner = rs.getString(col);
            }
            addState(builder(owner, bucket), n, q.reachedMask(mask, stage, priorStage, priorMask), counted, q.winLoss(),
                    currency, stage, mask, count, amount, weighted, revenue, reason, winner);
        }

        void addDurations(ResultSet rs, FunnelSql sql) throws SQLException {
            String owner = rs.getString(1);
            if (!owners.containsKey(owner)) {
                return;
            }
            int bucket = sql.bucketed() ? rs.getInt(2) : 0;
            String list = rs.getString(sql.bucketed() ? 3 : 2);
            FunnelStats.Builder b = builder(owner, bucket);
            int timed = Math.min(n, DerivedColumns.STAGE_TIME_COLUMNS);
            // tokens "s0,s1,...,lostCycle,wonCycle" separated by ';', fields empty where there is none
            int field = 0;
            long value = -1;
            for (int i = 0, len = list.length(); i <= len; i++) {
                char ch = i < len ? list.charAt(i) : ';';
                if (ch >= '0' && ch <= '9') {
                    value = (value < 0 ? 0 : value * 10) + (ch - '0');
                    continue;
                }
                if (value >= 0) {
                    if (field < timed) {
                        b.addDuration(Duration.TIME_IN_STAGE, field, value);
                    } else {
                        b.addDuration(Duration.CYCLE, 0, value);
                        if (field == timed + 1) {
                            b.addDuration(Duration.WON_CYCLE, 0, value);
                        }
                    }
                }
                value = -1;
                field = ch == ';' ? 0 : field + 1;
            }
        }

        OwnerAggregates<FunnelStats> build() {
            OwnerAggregates.Builder<FunnelStats> out = OwnerAggregates.builder(q.bucketCount());
            parts.forEach((owner, bs) -> {
                for (int b = 0; b < bs.length; b++) {
                    if (bs[b] != null) {
                        out.add(owners.get(owner), b, bs[b].build());
                    }
                }
            });
            return out.build();
        }
    }
}
