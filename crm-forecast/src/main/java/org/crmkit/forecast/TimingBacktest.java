package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * A backtest of the measured timing forecast and of the leading indicator against the
 * close-date forecast, on past months of a data set. For every month and node, each method
 * predicts the month's won revenue <em>at the month's start</em>, from what was known then:
 * <ul>
 *   <li><b>close-date</b>: the deals open at the month's start (stage replayed from the
 *       history), weighted by the default probability of that stage, bucketed by their expected
 *       close date, overdue ones into the month ({@link ForecastEngine#snapshot}, monthly);</li>
 *   <li><b>measured</b>: the same open deals placed by a {@link TimeToCloseModel} fitted on the
 *       history up to the month's start ({@link ForecastEngine#timingForecast});</li>
 *   <li><b>leading</b>: the deals worked in the month before ({@link LeadingIndicator}), their
 *       expected revenue in the month, against what those deals actually brought in it, beside
 *       the close-date forecast of the same deals.</li>
 * </ul>
 * What happened is the revenue of the deals won in the month (by close date, at their
 * close-date rates). A deal's amount, expected close date and owner at the month's start are
 * those its field history says ({@link Opportunity#asOf}; today's for a deal without one, which
 * flatters the close-date method for deals whose dates were moved before they closed); the
 * probability is the stage default, so the methods compare placements, not managers'
 * judgement ({@link ProbabilityCalibration} measures that).
 *
 * @param months one line per node and month
 * @param summary per node and method: totals, bias (mean error), mean absolute error and WAPE
 */
public record TimingBacktest(List<Month> months, List<Summary> summary) {
    /**
     * Copies the lists.
     */
    public TimingBacktest {
        months = List.copyOf(months);
        summary = List.copyOf(summary);
    }

    /**
     * One node and month of the backtest; every figure in the reporting currency, exact.
     *
     * @param node the node
     * @param month the month
     * @param openAtStart deals open at the month's start
     * @param actual revenue won in the month
     * @param closeDate the close-date forecast made at the month's start
     * @param measured the measured timing forecast made at the month's start
     * @param workedLastMonth deals worked in the month before
     * @param leadingActual revenue those deals brought in the month
     * @param leading the leading indicator's expectation of it
     * @param leadingCloseDate the close-date forecast of the same deals
     */
    public record Month(OrgNodeId node, Period month, long openAtStart, BigDecimal actual, BigDecimal closeDate,
            BigDecimal measured, long workedLastMonth, BigDecimal leadingActual, BigDecimal leading,
            BigDecimal leadingCloseDate) {
    }

    /**
     * How one method did for one node over the months.
     *
     * @param node the node
     * @param method {@code close-date}, {@code measured}, {@code leading} or {@code leading: close-date}
     * @param months the months
     * @param actual the actual total (for the leading rows: of the deals worked the month before)
     * @param predicted the predicted total
     * @param bias mean of predicted − actual per month (positive: too optimistic); means and the
     *     WAPE are rounded to 16 significant digits, totals are exact
     * @param meanAbsoluteError mean of |predicted − actual| per month
     * @param wape Σ |predicted − actual| / Σ actual, null when nothing was won
     */
    public record Summary(OrgNodeId node, String method, int months, BigDecimal actual, BigDecimal predicted,
            BigDecimal bias, BigDecimal meanAbsoluteError, Double wape) {
    }

    /**
     * Runs the backtest.
     *
     * @param engine the forecast engine (calendar, reporting currency, value policy, rates)
     * @param processes the processes; the leading indicator counts the first one's stages
     * @param opportunities the data set, as it is today
     * @param org the org structure
     * @param nodes the nodes to report
     * @param firstMonth a day of the first month to test
     * @param monthCount how many consecutive months, at least 1
     * @return the backtest
     * @throws ValidationException when the month count is below 1
     */
    public static TimingBacktest run(ForecastEngine engine, Collection<SalesProcess> processes,
            List<Opportunity> opportunities, OrgStructure org, List<? extends OrgNodeId> nodes, LocalDate firstMonth,
            int monthCount) {
        Objects.requireNonNull(engine, "engine");
        ValidationException.require(monthCount >= 1, "monthCount", monthCount, "at least 1");
        ValidationException.require(!processes.isEmpty(), "processes", processes, "at least one process");
        ForecastEngine monthly = ForecastEngine.builder(engine.config().toBuilder().periodType(PeriodType.MONTH).build())
                .converter(engine.converter()).processes(List.copyOf(engine.processes().values()))
                .probabilityModel(ProbabilityModels.stageDefault()).build();
        SalesProcess first = processes.iterator().next();
        ZoneId zone = engine.config().calendar().zone();
        List<Month> rows = new ArrayList<>();
        Period month = engine.config().calendar().periodOf(PeriodType.MONTH, firstMonth);
        for (int k = 0; k < monthCount; k++, month = engine.config().calendar().next(month)) {
            Instant start = month.start().atStartOfDay(zone).toInstant();
            Period previous = engine.config().calendar().previous(month);
            Instant prevStart = previous.start().atStartOfDay(zone).toInstant();
            List<Opportunity> openThen = new ArrayList<>();
            Set<OpportunityId> worked = new HashSet<>();
            List<Opportunity> workedOpen = new ArrayList<>();
            Map<OpportunityId, BigDecimal> wonIn = new LinkedHashMap<>();
            for (Opportunity o : opportunities) {
                Opportunity then = asOf(o, engine.processes().get(o.processId()), start);
                if (then != null) {
                    openThen.add(then);
                }
                if (o.processId().equals(first.id()) && LeadingIndicator.worked(o, first, prevStart, start)) {
                    worked.add(o.id());
                    if (then != null) {
                        workedOpen.add(then);
                    }
                }
                if (o.status() == OpportunityStatus.WON) {
                    CloseInfo c = o.closeInfo().orElseThrow();
                    // placed by its closing transition's day, as the forecast and the funnel place it
                    if (month.contains(LocalDate.ofInstant(o.closedAt().orElseThrow(), zone))) {
                        wonIn.put(o.id(), engine.converter().convert(Amounts.decimal(c.actualRevenue()), o.currency(),
                                engine.config().reportingCurrency(), c.closeDate()));
                    }
                }
            }
            ForecastSnapshot closeDate = monthly.snapshot(openThen, month.start());
            ForecastSnapshot closeDateWorked = monthly.snapshot(workedOpen, month.start());
            TimeToCloseModel model = TimeToCloseModel.fit(zone, start, processes, opportunities);
            TimingForecast measured = engine.timingForecast(model, opportunities, 1);
            TimingForecast leading = engine.timingForecast(model, workedOpen, 1);
            Map<ManagerId, List<OpportunityId>> wonByOwner = new LinkedHashMap<>();
            Map<OpportunityId, ManagerId> owner = new LinkedHashMap<>();
            for (Opportunity o : opportunities) {
                if (wonIn.containsKey(o.id())) {
                    owner.put(o.id(), o.owner());
                }
            }
            owner.forEach((id, m) -> wonByOwner.computeIfAbsent(m, x -> new ArrayList<>()).add(id));
            for (OrgNodeId node : nodes) {
                Set<ManagerId> members = org.membersOf(node);
                BigDecimal actual = BigDecimal.ZERO;
                BigDecimal leadingActual = BigDecimal.ZERO;
                for (ManagerId m : members) {
                    for (OpportunityId id : wonByOwner.getOrDefault(m, List.of())) {
                        actual = actual.add(wonIn.get(id));
                        if (worked.contains(id)) {
                            leadingActual = leadingActual.add(wonIn.get(id));
                        }
                    }
                }
                long workedCount = 0;
                for (Opportunity o : opportunities) {
                    if (worked.contains(o.id()) && members.contains(o.owner())) {
                        workedCount++;
                    }
                }
                MeasuredForecast mf = measured.forecast(org, node);
                rows.add(new Month(node, month, mf.openDeals(), actual,
                        closeDate.periodForecast(org, node, month).weightedOpen(),
                        mf.months().get(0).expectedRevenue(), workedCount, leadingActual,
                        leading.forecast(org, node).months().get(0).expectedRevenue(),
                        closeDateWorked.periodForecast(org, node, month).weightedOpen()));
            }
        }
        List<Summary> summary = new ArrayList<>();
        for (OrgNodeId node : nodes) {
            List<Month> mine = rows.stream().filter(r -> r.node().equals(node)).toList();
            summary.add(summarise(node, "close-date", mine, Month::actual, Month::closeDate));
            summary.add(summarise(node, "measured", mine, Month::actual, Month::measured));
            summary.add(summarise(node, "leading", mine, Month::leadingActual, Month::leading));
            summary.add(summarise(node, "leading: close-date", mine, Month::leadingActual, Month::leadingCloseDate));
        }
        return new TimingBacktest(rows, summary);
    }

    private static Summary summarise(OrgNodeId node, String method, List<Month> rows,
            java.util.function.Function<Month, BigDecimal> actualOf,
            java.util.function.Function<Month, BigDecimal> predictedOf) {
        BigDecimal actual = BigDecimal.ZERO;
        BigDecimal predicted = BigDecimal.ZERO;
        BigDecimal absolute = BigDecimal.ZERO;
        for (Month m : rows) {
            BigDecimal a = actualOf.apply(m);
            BigDecimal p = predictedOf.apply(m);
            actual = actual.add(a);
            predicted = predicted.add(p);
            absolute = absolute.add(p.subtract(a).abs());
        }
        BigDecimal n = BigDecimal.valueOf(Math.max(1, rows.size()));
        MathContext mc = MathContext.DECIMAL64;
        return new Summary(node, method, rows.size(), actual, predicted, predicted.subtract(actual).divide(n, mc),
                absolute.divide(n, mc), actual.signum() == 0 ? null : absolute.divide(actual, mc).doubleValue());
    }

    /**
     * An opportunity as it stood at an instant, when it was open then ({@link Opportunity#asOf}:
     * its stage, amount, expected close date and owner then, from its history where one is
     * recorded), at the stage default probability and with no hand-set category.
     *
     * @return the opportunity then, or null when it did not exist yet or was closed
     */
    static Opportunity asOf(Opportunity o, SalesProcess process, Instant at) {
        if (process == null) {
            return null;
        }
        Opportunity then = o.asOf(at).orElse(null);
        if (then == null || process.indexOf(then.stage()) >= process.openStageCount()) {
            return null;
        }
        // a working copy for one forecast: its own history is not needed
        return then.toBuilder().changes(List.of()).closeInfo(null).forecastCategory(null)
                .probability(process.stage(then.stage()).defaultProbability()).build();
    }
}
