package org.crmkit.jdbc.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ProcessId;
import org.crmkit.funnel.spi.ForecastCell;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.jdbc.Dialect;

/**
 * Answers the forecast engine's queries in SQL: the database groups the open opportunities by
 * owner, currency, process, stage, own probability, category set by hand, value basis, overdue
 * flag and effective month, and the won ones by owner, currency, the month of the closing
 * transition in the calendar's zone and (for another currency than the reporting one) close date, returning counts and exact sums; a few rows per
 * owner come back instead of one per opportunity, and no opportunity is built. The definitions
 * are {@link ForecastQuery}'s; both statements run in one repeatable-read transaction.
 *
 * <p>On PostgreSQL and H2 the sums of squares and cubes are {@code NUMERIC} (exact beyond 64
 * bits). SQLite has no integer beyond 64 bits, so there the open rows are grouped by value as
 * well and the squares and cubes are summed exactly here.
 */
public final class JdbcForecastSource implements ForecastSource {
    /** The largest owner set an IN list tests per row in SQL on a database without hashed arrays. */
    private static final int LINEAR_OWNER_TEST_LIMIT = 64;
    /** SQLState of a value beyond its type's range (a sum beyond 64 bits). */
    private static final String NUMERIC_OUT_OF_RANGE = "22003";
    private static final String WIDE = "CAST(v AS NUMERIC(60, 0))";

    private final Db db;
    private final int fetchSize;

    /**
     * Creates the source.
     *
     * @param db the database
     * @param fetchSize rows per round trip of the grouped reads
     */
    public JdbcForecastSource(Db db, int fetchSize) {
        this.db = db;
        this.fetchSize = fetchSize;
    }

    private String month(String column) {
        return db.dialect() == Dialect.SQLITE
                ? "(CAST(substr(" + column + ", 1, 4) AS INTEGER) * 12 + CAST(substr(" + column + ", 6, 2) AS INTEGER) - 1)"
                : "(CAST(EXTRACT(YEAR FROM " + column + ") AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM " + column
                        + ") AS INTEGER) - 1)";
    }

    private static int index(YearMonth m) {
        return m.getYear() * 12 + m.getMonthValue() - 1;
    }

    private static YearMonth monthOf(int index) {
        return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
    }

    /** Whether the owner set is tested in SQL (else every owner is read and filtered here). */
    private boolean ownersInSql(ForecastQuery q) {
        return q.owners() != null
                && (db.dialect().hashesArrayMembership() || q.owners().size() <= LINEAR_OWNER_TEST_LIMIT);
    }

    private void owners(SqlBuilder b, ForecastQuery q) {
        if (!ownersInSql(q)) {
            return;
        }
        List<String> ids = new ArrayList<>();
        q.owners().forEach(m -> ids.add(m.value()));
        Collections.sort(ids);
        b.sql(" AND ");
        if (db.dialect().hashesArrayMembership()) {
            b.anyOf("owner_id", ids);
        } else {
            b.in("owner_id", ids);
        }
    }

    SqlBuilder openSql(ForecastQuery q) {
        boolean sqlite = db.dialect() == Dialect.SQLITE;
        SqlBuilder b = new SqlBuilder();
        b.sql("SELECT owner_id, currency, process_id, stage, probability, forecast_category, basis, overdue, mon,"
                + " COUNT(*), CAST(SUM(v) AS BIGINT)");
        // a group of one deal (most groups when owners have few deals per cell) sends no square or
        // cube: they follow from its value, and parsing two wide numbers per row costs more than the query
        b.sql(sqlite ? ", v" : ", CASE WHEN COUNT(*) > 1 THEN SUM(" + WIDE + " * v) END, CASE WHEN COUNT(*) > 1 THEN SUM("
                + WIDE + " * v * v) END");
        b.sql(" FROM (SELECT owner_id, currency, process_id, stage, probability, forecast_category,"
                + " CASE WHEN amount_minor IS NOT NULL THEN 0 WHEN budget_minor IS NOT NULL THEN 1 ELSE 2 END AS basis,"
                + " CASE WHEN expected_close_date < ").param(q.asOf()).sql(" THEN 1 ELSE 0 END AS overdue, ");
        if (q.overdueToCurrentMonth()) {
            b.sql("CASE WHEN expected_close_date < ").param(q.asOf()).sql(" THEN ").param(index(YearMonth.from(q.asOf())))
                    .sql(" ELSE " + month("expected_close_date") + " END");
        } else {
            b.sql(month("expected_close_date"));
        }
        b.sql(" AS mon, COALESCE(amount_minor, budget_minor, 0) AS v FROM crm_opportunity WHERE status = 'OPEN'");
        owners(b, q);
        if (q.window() != null) {
            b.sql(" AND ");
            openInWindow(b, q);
        }
        b.sql(") p GROUP BY owner_id, currency, process_id, stage, probability, forecast_category, basis, overdue, mon");
        return b.sql(sqlite ? ", v" : "");
    }

    /**
     * Whether an open row's effective month falls in the query's window, as one range of the
     * expected close date itself, so the database can range-scan it and estimate the rows (a
     * test of the computed month can do neither). Exact because the window is whole months: a
     * date's month is in the window exactly when the date is. With overdue deals counted in the
     * as-of month: when the as-of date is in the window, every deal before its end counts (an
     * overdue one in the as-of month, the rest in their own); when the window lies after it,
     * only deals due in the window; when it lies before it, no open deal.
     */
    private static void openInWindow(SqlBuilder b, ForecastQuery q) {
        LocalDate from = q.window().start();
        LocalDate until = q.window().end();
        if (q.overdueToCurrentMonth() && !q.asOf().isBefore(until)) {
            b.sql("1 = 0");
        } else if (q.overdueToCurrentMonth() && !q.asOf().isBefore(from)) {
            b.sql("expected_close_date < ").param(until);
        } else {
            b.sql("expected_close_date >= ").param(from).sql(" AND expected_close_date < ").param(until);
        }
    }

    /**
     * The won deals grouped by the month of their closing transition (the last one) in the
     * query's zone: the month is found by a binary search over the months' first instants,
     * written as nested CASEs (whole seconds, so comparing epoch seconds is exact), from
     * {@code first} to {@code last}.
     */
    SqlBuilder wonSql(ForecastQuery q, YearMonth first, YearMonth last) {
        SqlBuilder b = new SqlBuilder();
        b.sql("SELECT owner_id, currency, mon, rday, COUNT(*), CAST(SUM(revenue_minor) AS BIGINT) FROM (SELECT owner_id,"
                + " currency, revenue_minor, ");
        ladder(b, q, first, index(last) - index(first), 0);
        b.sql(" AS mon, CASE WHEN currency = ").param(q.reportingCurrency().getCurrencyCode())
                .sql(" THEN NULL ELSE close_date END AS rday FROM crm_opportunity WHERE status = 'WON'");
        owners(b, q);
        if (q.window() != null) {
            b.sql(" AND last_transition_s >= ").param(startOf(YearMonth.from(q.window().start()), q))
                    .sql(" AND last_transition_s < ").param(startOf(YearMonth.from(q.window().end()), q));
        }
        b.sql(") w");
        return b.sql(" GROUP BY owner_id, currency, mon, rday");
    }

    private static long startOf(YearMonth m, ForecastQuery q) {
        return m.atDay(1).atStartOfDay(q.zone()).toEpochSecond();
    }

    private void ladder(SqlBuilder b, ForecastQuery q, YearMonth first, int hi, int lo) {
        if (lo >= hi) {
            // typed: H2 cannot infer the type of a CASE made only of parameters
            b.sql("CAST(").param(index(first.plusMonths(lo))).sql(" AS INTEGER)");
            return;
        }
        int mid = (lo + hi + 1) >>> 1;
        b.sql("CASE WHEN last_transition_s < ").param(startOf(first.plusMonths(mid), q)).sql(" THEN ");
        ladder(b, q, first, mid - 1, lo);
        b.sql(" ELSE ");
        ladder(b, q, first, hi, mid);
        b.sql(" END");
    }

    /** The months of the won deals' closing instants in the query's zone, or null when there is none. */
    private YearMonth[] wonMonths(Connection c, ForecastQuery q) throws SQLException {
        if (q.window() != null) {
            return new YearMonth[] {YearMonth.from(q.window().start()), YearMonth.from(q.window().end()).minusMonths(1)};
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MIN(last_transition_s), MAX(last_transition_s) FROM crm_opportunity WHERE status = 'WON'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            long lo = rs.getLong(1);
            if (rs.wasNull()) {
                return null;
            }
            long hi = rs.getLong(2);
            return new YearMonth[] {YearMonth.from(LocalDate.ofInstant(java.time.Instant.ofEpochSecond(lo), q.zone())),
                YearMonth.from(LocalDate.ofInstant(java.time.Instant.ofEpochSecond(hi), q.zone()))};
        }
    }

    @Override
    public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
        Objects.requireNonNull(query, "query");
        boolean sqlite = db.dialect() == Dialect.SQLITE;
        return db.snapshot("aggregating the forecast", c -> {
            SqlBuilder.aggregationSettings(c, db.dialect());
            Map<ManagerId, ForecastStats.Builder> byOwner = new HashMap<>();
            Map<String, CurrencyUnit> currencies = new HashMap<>();
            Map<String, ManagerId> owners = new HashMap<>();
            try {
                openSql(query).forEachRow(c, fetchSize, rs -> {
                    ManagerId owner = owners.computeIfAbsent(rs.getString(1), ManagerId::of);
                    if (!query.includes(owner)) {
                        return;
                    }
                    String category = rs.getString(6);
                    ForecastCell cell = ForecastCell.open(monthOf(rs.getInt(9)), rs.getInt(8) == 1,
                            currencies.computeIfAbsent(rs.getString(2), Monetary::getCurrency),
                            ProcessId.of(rs.getString(3)), rs.getString(4), rs.getInt(5),
                            category == null ? null : ForecastCategory.valueOf(category),
                            ForecastCell.Basis.values()[rs.getInt(7)]);
                    long count = rs.getLong(10);
                    long sum = rs.getLong(11);
                    ForecastStats.Sums sums;
                    if (sqlite) {
                        sums = ForecastStats.Sums.of(count, rs.getLong(12));
                    } else if (count == 1) {
                        sums = ForecastStats.Sums.of(sum);
                    } else {
                        sums = new ForecastStats.Sums(count, sum, integer(rs.getBigDecimal(12)),
                                integer(rs.getBigDecimal(13)));
                    }
                    byOwner.computeIfAbsent(owner, k -> ForecastStats.builder()).add(cell, sums);
                });
                YearMonth[] won = wonMonths(c, query);
                // no won deal: no month to search
                if (won != null) {
                    wonSql(query, won[0], won[1]).forEachRow(c, fetchSize, rs -> {
                        ManagerId owner = owners.computeIfAbsent(rs.getString(1), ManagerId::of);
                        if (!query.includes(owner)) {
                            return;
                        }
                        LocalDate day = rs.getObject(4, LocalDate.class);
                        ForecastCell cell = ForecastCell.won(monthOf(rs.getInt(3)),
                                currencies.computeIfAbsent(rs.getString(2), Monetary::getCurrency), day);
                        byOwner.computeIfAbsent(owner, k -> ForecastStats.builder()).add(cell,
                                new ForecastStats.Sums(rs.getLong(5), rs.getLong(6), BigInteger.ZERO, BigInteger.ZERO));
                    });
                }
            } catch (SQLException e) {
                if (NUMERIC_OUT_OF_RANGE.equals(e.getSQLState()) || isSqliteOverflow(e)) {
                    throw new AmountOverflowException("a forecast sum", e);
                }
                throw e;
            }
            OwnerAggregates.Builder<ForecastStats> out = OwnerAggregates.builder(1);
            byOwner.forEach((owner, b) -> out.add(owner, 0, b.build()));
            return out.build();
        });
    }

    private static boolean isSqliteOverflow(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("integer overflow");
    }

    private static BigInteger integer(BigDecimal d) {
        return d == null ? BigInteger.ZERO : d.toBigIntegerExact();
    }

    @Override
    public Stream<ForecastDeal> forecastDeals(ForecastQuery query, Map<CurrencyUnit, Long> minValue) {
        Objects.requireNonNull(query, "query");
        SqlBuilder b = new SqlBuilder();
        b.sql("SELECT id, owner_id, status, currency, process_id, stage, probability, forecast_category, amount_minor,"
                + " budget_minor, expected_close_date, close_date, revenue_minor, last_transition_s, last_transition_n"
                + " FROM crm_opportunity WHERE ");
        if (minValue != null) {
            if (minValue.isEmpty()) {
                return Stream.empty();
            }
            long least = Collections.min(minValue.values());
            b.sql("status = 'OPEN' AND COALESCE(amount_minor, budget_minor, 0) > ").param(least);
        } else {
            b.sql("status IN ('OPEN', 'WON')");
        }
        owners(b, query);
        if (query.window() != null) {
            // only the rows whose month falls in the window (the cell's own test follows in Java)
            LocalDate from = query.window().start();
            LocalDate until = query.window().end();
            b.sql(" AND ((status = 'OPEN' AND ");
            openInWindow(b, query);
            b.sql(") OR (status = 'WON' AND last_transition_s >= ").param(startOf(YearMonth.from(from), query))
                    .sql(" AND last_transition_s < ").param(startOf(YearMonth.from(until), query)).sql("))");
        }
        List<ForecastDeal> out = db.snapshot("reading forecast deals", c -> {
            List<ForecastDeal> deals = new ArrayList<>();
            Map<String, CurrencyUnit> currencies = new HashMap<>();
            b.forEachRow(c, fetchSize, rs -> {
                ManagerId owner = ManagerId.of(rs.getString(2));
                OpportunityStatus status = OpportunityStatus.valueOf(rs.getString(3));
                CurrencyUnit currency = currencies.computeIfAbsent(rs.getString(4), Monetary::getCurrency);
                String category = rs.getString(8);
                long amount = rs.getLong(9);
                boolean hasAmount = !rs.wasNull();
                long budget = rs.getLong(10);
                boolean hasBudget = !rs.wasNull();
                LocalDate closeDate = rs.getObject(12, LocalDate.class);
                Optional<ForecastCell> cell = query.cellOf(owner, status, currency, ProcessId.of(rs.getString(5)),
                        rs.getString(6), rs.getInt(7), category == null ? null : ForecastCategory.valueOf(category),
                        hasAmount, hasBudget, rs.getObject(11, LocalDate.class), closeDate,
                        status == OpportunityStatus.OPEN ? null
                                : java.time.Instant.ofEpochSecond(rs.getLong(14), rs.getInt(15)));
                if (cell.isEmpty()) {
                    return;
                }
                long value = status == OpportunityStatus.WON ? rs.getLong(13)
                        : hasAmount ? amount : hasBudget ? budget : 0;
                if (minValue != null) {
                    Long min = minValue.get(currency);
                    if (min == null || value <= min) {
                        return;
                    }
                }
                deals.add(new ForecastDeal(OpportunityId.of(rs.getString(1)), owner, cell.get(), value,
                        status == OpportunityStatus.WON ? closeDate : null));
            });
            return deals;
        });
        return out.stream();
    }

}
