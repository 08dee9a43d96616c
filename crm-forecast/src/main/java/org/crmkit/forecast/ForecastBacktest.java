package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * How good the forecast was: for past periods and chosen points in each, what the forecast said
 * at the point against the revenue the period actually brought, per node.
 *
 * <p>The forecast at a point is {@link ForecastEngine#snapshotAt} of the book at that instant:
 * every deal as it was then ({@link Opportunity#asOf}: amount, expected close date, probability,
 * category, stage and <em>owner</em> of then), classified by the engine's own policies and
 * probability model as of the point's date, so a row is exactly what the engine would have shown
 * that day. A node's figures are those of its distinct members (each manager counted once
 * however many paths of the org structure lead to it), by the owners of then and the org
 * structure as it is now. The actual is the revenue won in the period by the book as it is at
 * {@code actualsAt} (normally now), with the snapshot's rules: a won deal counts in the period
 * of its closing transition at its actual revenue, by its owner at {@code actualsAt}; so a deal
 * handed to another manager between the point and the close is in one manager's forecast and the
 * other's actual, as the two managers would have seen it.
 *
 * <p>Errors are forecast − actual (positive: the forecast was too optimistic), on the
 * <em>expected</em> revenue: won in the period by the point plus the weighted open deals
 * ({@link PeriodForecast#projected()}), which is also the mean of the distribution whose
 * P10..P90 range is tested. Money is exact; ratios and means are rounded to 16 significant
 * digits ({@link MathContext#DECIMAL64}). A deal whose field history starts after the point
 * ({@link Opportunity#historyStart()}) is forecast with the values of its history start, the
 * only ones known; {@link Row#incompleteHistory()} counts them so a reader can tell.
 *
 * @param actualsAt the instant the actuals were read at, not before the end of any period
 * @param currency the reporting currency (ISO code)
 * @param model the name of the engine's probability model
 * @param rows one row per node and point, in the order of the nodes, then of the points
 * @param summary one summary per node and point label, in the same order
 */
public record ForecastBacktest(Instant actualsAt, String currency, String model, List<Row> rows,
        List<Summary> summary) {
    private static final MathContext MC = MathContext.DECIMAL64;

    /**
     * Validates and copies the lists.
     *
     * @throws ValidationException when a value is missing
     */
    public ForecastBacktest {
        ValidationException.requireNonNull(actualsAt, "actualsAt");
        ValidationException.requireText(currency, "currency");
        ValidationException.requireText(model, "model");
        rows = List.copyOf(ValidationException.requireNonNull(rows, "rows"));
        summary = List.copyOf(ValidationException.requireNonNull(summary, "summary"));
    }

    /**
     * A point at which the forecast of a period is read. Points that share a label are
     * summarised together across periods ({@code "day 0"}, {@code "day 30"}): the label says which
     * points are comparable.
     *
     * @param period the period forecast, made of whole buckets of the engine's period type
     * @param at the instant the forecast is read at, before the period's end
     * @param label the group the point is summarised in
     */
    public record Point(Period period, Instant at, String label) {
        /**
         * Validates the point.
         *
         * @throws ValidationException when a value is missing or the label is blank
         */
        public Point {
            ValidationException.requireNonNull(period, "point.period");
            ValidationException.requireNonNull(at, "point.at");
            ValidationException.requireText(label, "point.label");
        }

        /**
         * Points a number of days into each period: the start of the period's first day in the
         * calendar's zone plus {@code days} days, labelled {@code "day N"}. Day 0 is the forecast
         * at the period's start, the one most sales teams are judged by.
         *
         * @param calendar the calendar whose zone the days are counted in
         * @param periods the periods
         * @param days the offsets, each at least 0 and inside every period
         * @return the points, period by period, each period's in the order of {@code days}
         * @throws ValidationException when an offset is negative or reaches a period's end
         */
        public static List<Point> daysIn(FiscalCalendar calendar, Collection<Period> periods, int... days) {
            Objects.requireNonNull(calendar, "calendar");
            Objects.requireNonNull(periods, "periods");
            Objects.requireNonNull(days, "days");
            ValidationException.require(days.length > 0, "days", "[]", "at least one offset");
            List<Point> out = new ArrayList<>();
            for (Period p : periods) {
                ValidationException.requireNonNull(p, "periods[]");
                for (int d : days) {
                    ValidationException.require(d >= 0 && d < p.days(), "days", d,
                            "an offset of 0 to " + (p.days() - 1) + " days into " + p.label());
                    out.add(new Point(p, p.start().plusDays(d).atStartOfDay(calendar.zone()).toInstant(), "day " + d));
                }
            }
            return out;
        }
    }

    /**
     * What the forecast said of one period at one point, for one node, against what happened.
     * Figures are in the reporting currency, exact.
     *
     * @param node the node
     * @param point the point
     * @param openDeals the open, not omitted deals expected to close in the period at the point
     * @param incompleteHistory how many of the period's deals at the point (open or won) have a
     *     field history that starts after the point, so their values then are not known
     * @param wonByPoint revenue already won in the period at the point
     * @param expected the expected revenue: won by the point + weighted open
     * @param commit won + commit, as the snapshot reports it cumulatively
     * @param bestCase won + commit + best case
     * @param openPipeline the unweighted open pipeline (pipeline + best case + commit)
     * @param p10 the 10th percentile of the period's revenue at the point
     * @param p50 the median
     * @param p90 the 90th percentile
     * @param distributionMethod how the percentiles were found
     * @param actual the revenue won in the period, as known at {@code actualsAt}
     * @param error expected − actual
     * @param absoluteError |expected − actual|
     * @param percentageError |expected − actual| / |actual|, null when nothing was won
     * @param insideP10P90 whether {@code p10 <= actual <= p90}
     */
    public record Row(OrgNodeId node, Point point, long openDeals, long incompleteHistory, BigDecimal wonByPoint,
            BigDecimal expected, BigDecimal commit, BigDecimal bestCase, BigDecimal openPipeline, BigDecimal p10,
            BigDecimal p50, BigDecimal p90, RevenueDistribution.Method distributionMethod, BigDecimal actual,
            BigDecimal error, BigDecimal absoluteError, BigDecimal percentageError, boolean insideP10P90) {
        /**
         * Checks that the errors are those of the expected revenue and the actual.
         *
         * @throws ValidationException when a value is missing or an error disagrees
         */
        public Row {
            ValidationException.requireNonNull(node, "node");
            ValidationException.requireNonNull(point, "point");
            ValidationException.requireNonNull(expected, "expected");
            ValidationException.requireNonNull(actual, "actual");
            ValidationException.requireNonNull(p10, "p10");
            ValidationException.requireNonNull(p90, "p90");
            ValidationException.require(error != null && error.compareTo(expected.subtract(actual)) == 0, "error", error,
                    "expected − actual = " + expected.subtract(actual));
            ValidationException.require(absoluteError != null && absoluteError.compareTo(error.abs()) == 0,
                    "absoluteError", absoluteError, "|error|");
            ValidationException.require((percentageError == null) == (actual.signum() == 0), "percentageError",
                    percentageError, "a ratio exactly when the actual is not 0");
            ValidationException.require(insideP10P90 == (p10.compareTo(actual) <= 0 && actual.compareTo(p90) <= 0),
                    "insideP10P90", insideP10P90, "p10 <= actual <= p90");
        }
    }

    /**
     * How the forecasts of one node at the points of one label did over the periods.
     *
     * @param node the node
     * @param label the point label
     * @param periods how many periods (rows) the summary covers
     * @param actual the total actual
     * @param expected the total expected revenue
     * @param bias the mean signed error (positive: too optimistic on average)
     * @param meanAbsoluteError the mean absolute error
     * @param mape the mean of the percentage errors of the periods with an actual, null when no
     *     period had one
     * @param zeroActualPeriods periods left out of the MAPE because nothing was won in them
     * @param wape Σ |error| / Σ |actual|, null when nothing was won in any period; unlike the MAPE
     *     it weights periods by their size and has no excluded periods
     * @param insideP10P90 periods whose actual fell inside [P10, P90]
     * @param coverage {@code insideP10P90 / periods}; a well-calibrated distribution covers about 0.8
     */
    public record Summary(OrgNodeId node, String label, int periods, BigDecimal actual, BigDecimal expected,
            BigDecimal bias, BigDecimal meanAbsoluteError, BigDecimal mape, int zeroActualPeriods, BigDecimal wape,
            int insideP10P90, BigDecimal coverage) {
    }

    /**
     * Runs the backtest.
     *
     * @param engine the forecast engine: policies, probability model, rates and processes
     * @param opportunities the book as it is now, with its history
     * @param org the org structure
     * @param nodes the nodes to report (managers or units)
     * @param points the points, each before its period's end
     * @param actualsAt when the actuals are read, not before any period's end (normally now)
     * @return the backtest
     * @throws ValidationException when there are no nodes or points, a point is not before its
     *     period's end, a period has not ended by {@code actualsAt}, or a period is not made of
     *     whole buckets of the engine's period type
     * @throws org.crmkit.core.NotFoundException when a node is unknown
     * @throws org.crmkit.core.MissingExchangeRateException when a needed rate is missing
     */
    public static ForecastBacktest run(ForecastEngine engine, Collection<Opportunity> opportunities,
            OrgStructure org, List<? extends OrgNodeId> nodes, List<Point> points, Instant actualsAt) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(opportunities, "opportunities");
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(actualsAt, "actualsAt");
        ValidationException.require(!nodes.isEmpty(), "nodes", nodes, "at least one node");
        ValidationException.require(!points.isEmpty(), "points", points, "at least one point");
        ZoneId zone = engine.config().calendar().zone();
        for (Point p : points) {
            ValidationException.requireNonNull(p, "points[]");
            Instant end = p.period().end().atStartOfDay(zone).toInstant();
            ValidationException.require(p.at().isBefore(end), "point.at", p.at(),
                    "an instant before the end of " + p.period().label() + " (" + end + ")");
            ValidationException.require(!actualsAt.isBefore(end), "actualsAt", actualsAt,
                    "an instant not before the end of " + p.period().label() + " (" + end + "), when its actual is known");
        }
        List<OrgNodeId> distinctNodes = List.copyOf(new LinkedHashSet<>(nodes));
        ForecastSnapshot actuals = engine.snapshotAt(opportunities, actualsAt);
        Map<Instant, ForecastSnapshot> snapshots = new HashMap<>();
        Map<Instant, Set<OpportunityId>> unknownThen = new HashMap<>();
        // one row per (node, point): the distributions of all nodes of a point come in one drill-down
        Map<Point, Map<OrgNodeId, RevenueDistribution>> distributions = new HashMap<>();
        for (Point p : points) {
            ForecastSnapshot s = snapshots.computeIfAbsent(p.at(), at -> engine.snapshotAt(opportunities, at));
            unknownThen.computeIfAbsent(p.at(), at -> incomplete(opportunities, at));
            distributions.computeIfAbsent(p, x -> s.distributions(org, distinctNodes, p.period()));
        }
        List<Row> rows = new ArrayList<>();
        for (OrgNodeId node : distinctNodes) {
            for (Point p : points) {
                ForecastSnapshot s = snapshots.get(p.at());
                PeriodForecast then = s.periodForecast(org, node, p.period());
                RevenueDistribution d = distributions.get(p).get(node);
                BigDecimal actual = actuals.periodForecast(org, node, p.period()).actual();
                long incomplete = 0;
                Set<OpportunityId> unknown = unknownThen.get(p.at());
                if (!unknown.isEmpty()) {
                    for (ForecastLine l : s.lines(org, node)) {
                        if (unknown.contains(l.id()) && within(l.period(), p.period())) {
                            incomplete++;
                        }
                    }
                }
                BigDecimal error = then.projected().subtract(actual);
                rows.add(new Row(node, p, then.openPipeline().count(), incomplete, then.actual(), then.projected(),
                        then.commitCumulative().amount(), then.bestCaseCumulative().amount(),
                        then.openPipeline().amount(), d.p10(), d.p50(), d.p90(), d.method(), actual, error, error.abs(),
                        actual.signum() == 0 ? null : error.abs().divide(actual.abs(), MC),
                        d.p10().compareTo(actual) <= 0 && actual.compareTo(d.p90()) <= 0));
            }
        }
        return new ForecastBacktest(actualsAt, engine.config().reportingCurrency().getCurrencyCode(),
                engine.model().name(), rows, summarise(distinctNodes, rows));
    }

    private static Set<OpportunityId> incomplete(Collection<Opportunity> opportunities, Instant at) {
        Set<OpportunityId> out = new java.util.HashSet<>();
        for (Opportunity o : opportunities) {
            if (o.historyStart().isAfter(at) && !o.createdAt().isAfter(at)
                    && o.asOf(at).map(x -> x.status() != OpportunityStatus.LOST).orElse(false)) {
                out.add(o.id());
            }
        }
        return out;
    }

    private static boolean within(Period inner, Period outer) {
        return !inner.start().isBefore(outer.start()) && !inner.end().isAfter(outer.end());
    }

    private static List<Summary> summarise(List<OrgNodeId> nodes, List<Row> rows) {
        Map<OrgNodeId, Map<String, List<Row>>> groups = new LinkedHashMap<>();
        for (OrgNodeId n : nodes) {
            groups.put(n, new LinkedHashMap<>());
        }
        for (Row r : rows) {
            groups.get(r.node()).computeIfAbsent(r.point().label(), k -> new ArrayList<>()).add(r);
        }
        List<Summary> out = new ArrayList<>();
        groups.forEach((node, byLabel) -> byLabel.forEach((label, list) -> out.add(summary(node, label, list))));
        return out;
    }

    /** The summary of rows; package-private so the tests can state it by hand. */
    static Summary summary(OrgNodeId node, String label, List<Row> rows) {
        BigDecimal actual = BigDecimal.ZERO;
        BigDecimal expected = BigDecimal.ZERO;
        BigDecimal signed = BigDecimal.ZERO;
        BigDecimal absolute = BigDecimal.ZERO;
        BigDecimal absoluteActual = BigDecimal.ZERO;
        BigDecimal percentages = BigDecimal.ZERO;
        int withActual = 0;
        int inside = 0;
        for (Row r : rows) {
            actual = actual.add(r.actual());
            expected = expected.add(r.expected());
            signed = signed.add(r.error());
            absolute = absolute.add(r.absoluteError());
            absoluteActual = absoluteActual.add(r.actual().abs());
            if (r.percentageError() != null) {
                // from the exact errors, not the rounded ratios, so the MAPE rounds once
                percentages = percentages.add(r.absoluteError().divide(r.actual().abs(), MathContext.DECIMAL128));
                withActual++;
            }
            if (r.insideP10P90()) {
                inside++;
            }
        }
        BigDecimal n = BigDecimal.valueOf(rows.size());
        return new Summary(node, label, rows.size(), actual, expected, signed.divide(n, MC), absolute.divide(n, MC),
                withActual == 0 ? null : percentages.divide(BigDecimal.valueOf(withActual), MC),
                rows.size() - withActual, absoluteActual.signum() == 0 ? null : absolute.divide(absoluteActual, MC),
                inside, BigDecimal.valueOf(inside).divide(n, MC));
    }
}
