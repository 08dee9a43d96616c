package org.crmkit.report;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.money.CurrencyUnit;
import javax.money.convert.ExchangeRateProvider;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcessEngine;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.HistoricalWinRateModel;
import org.crmkit.forecast.LargeDealReview;
import org.crmkit.forecast.LeadingIndicator;
import org.crmkit.forecast.MeasuredForecast;
import org.crmkit.forecast.PeriodForecast;
import org.crmkit.forecast.PipelineGap;
import org.crmkit.forecast.PlanVsActual;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.forecast.StageTiming;
import org.crmkit.forecast.TimeToCloseModel;
import org.crmkit.forecast.TimingForecast;
import org.crmkit.funnel.Coverage;
import org.crmkit.funnel.FunnelDynamics;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.PeriodFunnel;
import org.crmkit.funnel.WinLossAnalysis;
import org.crmkit.funnel.Workload;
import org.crmkit.funnel.spi.ForecastSource;

/**
 * Everything a sales report shows, computed once through the SDK's engines (the funnel over
 * whatever source the caller's {@link FunnelEngine} reads, or in-memory columns; the forecast
 * over the caller's {@link ForecastSource}, or the opportunities; the timing model, the leading
 * indicator, workload and next steps over the opportunities, as they need each deal's history):
 * the funnel of each department with its managers beside it,
 * win/loss reasons and competitors, plan vs actual, the next quarter's forecast with its
 * distribution, the monthly dynamics, the measured timing forecast beside the close-date one,
 * last month's work as a leading indicator and the pipeline gap of each manager, workload, the
 * large deals of the half-year and what each open deal needs next. Presentations
 * ({@link HtmlReport}, {@link CsvExport}, an application's own console tables) only show
 * these values.
 *
 * @param company the company's name
 * @param asOf the instant the state is reported at
 * @param currency the reporting currency
 * @param window the cohort window of the funnels (opportunities created in it)
 * @param departments the funnel of each department with its managers
 * @param winLoss won and lost deals by reason, by winning competitor and by stage lost at
 * @param plans plan vs actual for the last month and the last quarter
 * @param forecast the next quarter's forecast
 * @param coverage funnel completeness of the company and its departments for the current month,
 *     the current quarter and the next quarter
 * @param months the monthly dynamics over the window
 * @param nextSteps what each open deal needs next
 * @param timing the measured timing model and its forecast of the company and its departments
 * @param leading last month's work per node as a leading indicator
 * @param gaps the pipeline gap of each manager for the next two months
 * @param workload the workload of each department's managers (last month, open deals as of now)
 * @param largeDeals the large deals of the current half-year, owner by owner
 */
public record SalesReport(String company, Instant asOf, String currency, Period window,
        List<DepartmentFunnel> departments, WinLossAnalysis winLoss, List<PlanSection> plans,
        ForecastSection forecast, List<CoverageRow> coverage, List<MonthRow> months, List<NextStep> nextSteps,
        TimingSection timing, LeadingSection leading, List<GapRow> gaps, List<Workload> workload,
        LargeDealReview largeDeals) {

    /**
     * Validates and copies the lists.
     *
     * @throws NullPointerException when a part is missing
     */
    public SalesReport {
        Objects.requireNonNull(company, "company");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(window, "window");
        departments = List.copyOf(departments);
        Objects.requireNonNull(winLoss, "winLoss");
        plans = List.copyOf(plans);
        Objects.requireNonNull(forecast, "forecast");
        coverage = List.copyOf(coverage);
        months = List.copyOf(months);
        nextSteps = List.copyOf(nextSteps);
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(leading, "leading");
        gaps = List.copyOf(gaps);
        workload = List.copyOf(workload);
        Objects.requireNonNull(largeDeals, "largeDeals");
    }

    /**
     * The measured timing model and what it expects, beside the close-date forecast.
     *
     * @param model the model's name
     * @param stages the process-wide time from entering each stage to winning and losing
     * @param months the months of the horizon (the first starts today)
     * @param nodes the company and its departments
     */
    public record TimingSection(String model, List<StageTiming> stages, List<Period> months, List<TimingRow> nodes) {
        /**
         * Copies the lists.
         */
        public TimingSection {
            stages = List.copyOf(stages);
            months = List.copyOf(months);
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * One node's expected revenue per month by the measured timing and by the close dates.
     *
     * @param name the node's name
     * @param measured the measured timing forecast
     * @param closeDate the close-date forecast's weighted open pipeline of each month (overdue deals in the first)
     */
    public record TimingRow(String name, MeasuredForecast measured, List<BigDecimal> closeDate) {
        /**
         * Copies the list.
         */
        public TimingRow {
            closeDate = List.copyOf(closeDate);
        }
    }

    /**
     * Last month's work turned into expected revenue in the months after it.
     *
     * @param period the month of the work
     * @param rows the company, its departments and each manager
     */
    public record LeadingSection(Period period, List<LeadingRow> rows) {
        /**
         * Copies the rows.
         */
        public LeadingSection {
            rows = List.copyOf(rows);
        }
    }

    /**
     * The leading indicator of one node.
     *
     * @param name the node's name
     * @param manager whether the node is a manager
     * @param indicator the figures
     */
    public record LeadingRow(String name, boolean manager, LeadingIndicator indicator) {
    }

    /**
     * The pipeline gap of one manager for one coming month.
     *
     * @param name the manager's name
     * @param gap the figures
     */
    public record GapRow(String name, PipelineGap gap) {
    }

    /**
     * A department's funnel and the same funnel of each of its managers.
     *
     * @param node the department
     * @param name its name
     * @param total the department's funnel (each opportunity once)
     * @param managers the managers' funnels, by won amount, largest first
     */
    public record DepartmentFunnel(OrgNodeId node, String name, FunnelResult total, List<ManagerFunnel> managers) {
        /**
         * Copies the managers.
         */
        public DepartmentFunnel {
            managers = List.copyOf(managers);
        }
    }

    /**
     * A manager's funnel inside a department.
     *
     * @param id the manager
     * @param name the manager's name
     * @param funnel the manager's funnel
     * @param shareOfWon the manager's share of the department's won amount, null when it won nothing
     */
    public record ManagerFunnel(ManagerId id, String name, FunnelResult funnel, Double shareOfWon) {
    }

    /**
     * Plan vs actual of every node for one period.
     *
     * @param title what the period is ("last month")
     * @param period the period
     * @param rows one line per node, company first, managers last
     */
    public record PlanSection(String title, Period period, List<PlanRow> rows) {
        /**
         * Copies the rows.
         */
        public PlanSection {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Plan vs actual of one node.
     *
     * @param name the node's name
     * @param manager whether the node is a manager
     * @param figures the figures
     */
    public record PlanRow(String name, boolean manager, PlanVsActual figures) {
    }

    /**
     * The forecast of the next quarter.
     *
     * @param period the quarter
     * @param model the probability model's name
     * @param nodes the company and its departments
     */
    public record ForecastSection(Period period, String model, List<NodeOutlook> nodes) {
        /**
         * Copies the nodes.
         */
        public ForecastSection {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * The forecast of one node.
     *
     * @param name the node's name
     * @param forecast the categories
     * @param distribution the revenue distribution
     */
    public record NodeOutlook(String name, PeriodForecast forecast, RevenueDistribution distribution) {
    }

    /**
     * Funnel completeness of one node for one period.
     *
     * @param name the node's name
     * @param coverage the figures
     */
    public record CoverageRow(String name, Coverage coverage) {
    }

    /**
     * One month of the dynamics (ACTIVITY mode: what happened during the month).
     *
     * @param month the month
     * @param created opportunities that entered the funnel
     * @param won opportunities won
     * @param lost opportunities lost
     * @param plan the company's plan, null when none
     * @param actual the company's won revenue (at the rates of the close dates)
     */
    public record MonthRow(Period month, long created, long won, long lost, BigDecimal plan, BigDecimal actual) {
    }

    /**
     * The guidance for one open deal.
     *
     * @param id the opportunity id
     * @param owner the owner's name
     * @param stage the current stage's name
     * @param title the deal's title
     * @param next what the process asks for next
     */
    public record NextStep(String id, String owner, String stage, String title, String next) {
    }

    /**
     * What a report is computed from.
     *
     * @param company the company's name
     * @param org the org structure
     * @param process the sales process
     * @param plans the plans
     * @param opportunities the opportunities
     * @param rates the exchange rates
     * @param calendar the fiscal calendar
     * @param currency the reporting currency
     * @param window the cohort window
     * @param asOf the reporting instant
     * @param root the company node
     * @param departments the department nodes
     * @param funnel the funnel engine to ask (e.g. over a store that aggregates in SQL), or null
     *     to hold {@code opportunities} as in-memory columns; it must use the same org, calendar
     *     and rates
     * @param forecastSource the source the forecast sections (plan vs actual, the outlook,
     *     pipeline gaps, large deals) are computed from (e.g. a store that groups in SQL), or
     *     null to aggregate {@code opportunities}; it must hold the same opportunities
     * @param idleDays an open deal without a stage change or history entry for more days is idle
     * @param largeDealShare a deal above this share of its owner's half-year plan is large
     */
    public record Inputs(String company, OrgStructure org, SalesProcess process, Collection<SalesPlan> plans,
            List<Opportunity> opportunities, ExchangeRateProvider rates, FiscalCalendar calendar,
            CurrencyUnit currency, Period window, Instant asOf, OrgNodeId root, List<OrgNodeId> departments,
            FunnelEngine funnel, ForecastSource forecastSource, int idleDays, BigDecimal largeDealShare) {
        /**
         * Copies the collections and checks the thresholds.
         *
         * @throws IllegalArgumentException when {@code idleDays} is below 1 or the share is not positive
         */
        public Inputs {
            plans = List.copyOf(plans);
            opportunities = List.copyOf(opportunities);
            departments = List.copyOf(departments);
            if (idleDays < 1) {
                throw new IllegalArgumentException("idleDays " + idleDays + ": expected at least 1");
            }
            if (largeDealShare == null || largeDealShare.signum() <= 0) {
                throw new IllegalArgumentException("largeDealShare " + largeDealShare + ": expected a share > 0");
            }
        }

        /**
         * Inputs with the defaults: in-memory funnel, idle after 21 days, large above half the
         * owner's half-year plan.
         *
         * @param company the company's name
         * @param org the org structure
         * @param process the sales process
         * @param plans the plans
         * @param opportunities the opportunities
         * @param rates the exchange rates
         * @param calendar the fiscal calendar
         * @param currency the reporting currency
         * @param window the cohort window
         * @param asOf the reporting instant
         * @param root the company node
         * @param departments the department nodes
         * @return the inputs
         */
        public static Inputs of(String company, OrgStructure org, SalesProcess process, Collection<SalesPlan> plans,
                List<Opportunity> opportunities, ExchangeRateProvider rates, FiscalCalendar calendar,
                CurrencyUnit currency, Period window, Instant asOf, OrgNodeId root, List<OrgNodeId> departments) {
            return new Inputs(company, org, process, plans, opportunities, rates, calendar, currency, window, asOf,
                    root, departments, null, null, 21, new BigDecimal("0.5"));
        }

        /**
         * The same inputs with the funnel asked through an engine (e.g. over the store).
         *
         * @param engine the funnel engine
         * @return the changed inputs
         */
        public Inputs withFunnel(FunnelEngine engine) {
            return new Inputs(company, org, process, plans, opportunities, rates, calendar, currency, window, asOf,
                    root, departments, Objects.requireNonNull(engine, "engine"), forecastSource, idleDays,
                    largeDealShare);
        }

        /**
         * The same inputs with the forecast computed from a source's per-owner aggregates (e.g.
         * a {@code CrmStore}, which groups in SQL) instead of from {@code opportunities}.
         *
         * @param source the forecast source, holding the same opportunities
         * @return the changed inputs
         */
        public Inputs withForecastSource(ForecastSource source) {
            return new Inputs(company, org, process, plans, opportunities, rates, calendar, currency, window, asOf,
                    root, departments, funnel, Objects.requireNonNull(source, "source"), idleDays, largeDealShare);
        }

        /**
         * The same inputs with other thresholds.
         *
         * @param idle the idle threshold in days
         * @param share the large-deal share of the owner's half-year plan
         * @return the changed inputs
         */
        public Inputs withThresholds(int idle, BigDecimal share) {
            return new Inputs(company, org, process, plans, opportunities, rates, calendar, currency, window, asOf,
                    root, departments, funnel, forecastSource, idle, share);
        }
    }

    /**
     * Computes the report.
     *
     * @param in the inputs
     * @return the report
     */
    public static SalesReport compute(Inputs in) {
        FiscalCalendar cal = in.calendar();
        LocalDate today = cal.dateOf(in.asOf());
        FunnelEngine funnel = in.funnel() != null ? in.funnel() : FunnelEngine.builder().org(in.org())
                .source(OpportunityColumns.of(in.opportunities().stream()))
                .rates(in.rates()).calendar(cal).clock(Clock.fixed(in.asOf(), cal.zone())).build();
        FunnelQuery cohort = FunnelQuery.builder(in.process()).nodes(in.root()).mode(FunnelMode.COHORT)
                .period(in.window()).asOf(in.asOf()).reportingCurrency(in.currency()).build();

        List<DepartmentFunnel> departments = new ArrayList<>();
        for (OrgNodeId dept : in.departments()) {
            FunnelResult total = funnel.funnel(cohort.withNodes(List.of(dept)));
            List<ManagerFunnel> managers = new ArrayList<>();
            for (ManagerId m : in.org().membersOf(dept)) {
                FunnelResult f = funnel.funnel(cohort.withNodes(List.of(m)));
                Double share = total.wonAmount().signum() == 0 ? null
                        : f.wonAmount().doubleValue() / total.wonAmount().doubleValue();
                managers.add(new ManagerFunnel(m, in.org().nameOf(m), f, share));
            }
            managers.sort(Comparator.comparing((ManagerFunnel m) -> m.funnel().wonAmount()).reversed()
                    .thenComparing(m -> m.id().value()));
            departments.add(new DepartmentFunnel(dept, in.org().nameOf(dept), total, managers));
        }

        WinLossAnalysis winLoss = funnel.winLoss(cohort.withNodes(List.of(in.root())));

        HistoricalWinRateModel model = HistoricalWinRateModel.measure(funnel, cohort);
        ForecastEngine forecastEngine = ForecastEngine.builder(ForecastConfig.builder(cal, in.currency())
                        .periodType(PeriodType.MONTH).build())
                .probabilityModel(model).exchangeRates(in.rates()).processes(in.process()).build();
        ForecastSnapshot snapshot = in.forecastSource() != null ? forecastEngine.snapshot(in.forecastSource(), today,
                null) : forecastEngine.snapshot(in.opportunities(), today);

        List<OrgNodeId> planNodes = new ArrayList<>();
        planNodes.add(in.root());
        for (OrgNodeId dept : in.departments()) {
            planNodes.add(dept);
            if (dept instanceof UnitId u) {
                planNodes.addAll(in.org().childUnitsOf(u));
            }
        }
        planNodes.addAll(in.org().membersOf(in.root()));
        Period lastMonth = cal.previous(cal.periodOf(PeriodType.MONTH, today));
        Period lastQuarter = cal.previous(cal.periodOf(PeriodType.QUARTER, today));
        List<PlanSection> plans = List.of(
                planSection("Last month", lastMonth, planNodes, snapshot, in),
                planSection("Last quarter", lastQuarter, planNodes, snapshot, in));

        Period nextQuarter = cal.next(cal.periodOf(PeriodType.QUARTER, today));
        List<NodeOutlook> outlooks = new ArrayList<>();
        List<OrgNodeId> forecastNodes = new ArrayList<>();
        forecastNodes.add(in.root());
        forecastNodes.addAll(in.departments());
        for (OrgNodeId node : forecastNodes) {
            outlooks.add(new NodeOutlook(in.org().nameOf(node), snapshot.periodForecast(in.org(), node, nextQuarter),
                    snapshot.distribution(in.org(), node, nextQuarter)));
        }
        ForecastSection forecast = new ForecastSection(nextQuarter, model.name(), outlooks);

        List<CoverageRow> coverage = new ArrayList<>();
        Period thisMonth = cal.periodOf(PeriodType.MONTH, today);
        Period thisQuarter = cal.periodOf(PeriodType.QUARTER, today);
        for (Period period : List.of(thisMonth, thisQuarter, nextQuarter)) {
            for (OrgNodeId node : forecastNodes) {
                in.plans().stream().filter(p -> p.node().equals(node) && p.period().start().equals(period.start())
                        && p.period().end().equals(period.end())).findFirst()
                        .ifPresent(plan -> coverage.add(new CoverageRow(in.org().nameOf(node),
                                funnel.coverage(cohort, plan))));
            }
        }

        List<MonthRow> months = new ArrayList<>();
        FunnelQuery activity = cohort.toBuilder().mode(FunnelMode.ACTIVITY).build();
        List<Period> monthPeriods = cal.periods(PeriodType.MONTH, in.window().start(), in.window().lastDay());
        FunnelDynamics dynamics = funnel.dynamics(activity, PeriodType.MONTH, in.window().start(),
                in.window().lastDay());
        for (PeriodFunnel point : dynamics.points()) {
            Period month = monthPeriods.stream().filter(m -> m.start().equals(point.start())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no month starting " + point.start()));
            PlanVsActual pva = snapshot.planVsActual(in.org(), in.root(), month, in.plans());
            FunnelResult f = point.funnel();
            months.add(new MonthRow(month, f.stage(0).reached(), f.won(), f.lost(), pva.plan(), pva.actual()));
        }

        SalesProcessEngine guide = new SalesProcessEngine(Clock.fixed(in.asOf(), cal.zone()));
        List<NextStep> next = new ArrayList<>();
        in.opportunities().stream().filter(o -> o.status() == OpportunityStatus.OPEN)
                .sorted(Comparator.comparing(Opportunity::expectedCloseDate).thenComparing(o -> o.id().value()))
                .forEach(o -> next.add(new NextStep(o.id().value(), in.org().nameOf(o.owner()),
                        in.process().stage(o.stage()).name(), o.title(),
                        guide.nextActions(o, in.process()).describe())));

        TimeToCloseModel timingModel = TimeToCloseModel.builder(cal.zone(), in.asOf(), List.of(in.process()))
                .byUnits(in.org(), unitsOf(in.departments())).minClosed(20).addAll(in.opportunities()).build();
        TimingForecast timingForecast = forecastEngine.timingForecast(timingModel, in.opportunities(), 6);
        List<TimingRow> timingRows = new ArrayList<>();
        for (OrgNodeId node : forecastNodes) {
            List<BigDecimal> closeDate = new ArrayList<>();
            for (Period m : timingForecast.months()) {
                closeDate.add(snapshot.periodForecast(in.org(), node, m).weightedOpen());
            }
            timingRows.add(new TimingRow(in.org().nameOf(node), timingForecast.forecast(in.org(), node), closeDate));
        }
        TimingSection timing = new TimingSection(timingModel.name(), timingModel.timings(in.process().id()),
                timingForecast.months(), timingRows);

        List<OrgNodeId> leadingNodes = new ArrayList<>(forecastNodes);
        List<ManagerId> managers = new ArrayList<>(in.org().membersOf(in.root()));
        java.util.Collections.sort(managers);
        leadingNodes.addAll(managers);
        TimeToCloseModel atMonthEnd = TimeToCloseModel.builder(cal.zone(),
                lastMonth.end().atStartOfDay(cal.zone()).toInstant(), List.of(in.process()))
                .byUnits(in.org(), unitsOf(in.departments())).minClosed(20).addAll(in.opportunities()).build();
        List<LeadingRow> leadingRows = new ArrayList<>();
        LeadingIndicator.of(forecastEngine, atMonthEnd, in.opportunities(), in.process(), lastMonth, in.org(),
                leadingNodes, 3).forEach((node, li) -> leadingRows.add(new LeadingRow(in.org().nameOf(node),
                        node instanceof ManagerId, li)));
        LeadingSection leading = new LeadingSection(lastMonth, leadingRows);

        List<GapRow> gaps = new ArrayList<>();
        for (ManagerId m : managers) {
            for (Period p : timingForecast.months().subList(1, 3)) {
                gaps.add(new GapRow(in.org().nameOf(m), timingForecast.pipelineGap(snapshot, in.org(), m, p,
                        in.plans())));
            }
        }

        List<Workload> workload = new ArrayList<>(Workload.of(in.org(), cal, in.process(), in.opportunities(),
                in.departments(), lastMonth, in.asOf(), in.idleDays()).values());

        Period halfYear = cal.periodOf(PeriodType.HALF_YEAR, today);
        LargeDealReview large = LargeDealReview.of(snapshot, in.org(), in.root(), halfYear, in.plans(),
                in.largeDealShare());

        return new SalesReport(in.company(), in.asOf(), in.currency().getCurrencyCode(), in.window(), departments,
                winLoss, plans, forecast, coverage, months, next, timing, leading, gaps, workload, large);
    }

    private static List<UnitId> unitsOf(List<OrgNodeId> nodes) {
        List<UnitId> out = new ArrayList<>();
        for (OrgNodeId n : nodes) {
            if (n instanceof UnitId u) {
                out.add(u);
            }
        }
        return out;
    }

    private static PlanSection planSection(String title, Period period, List<OrgNodeId> nodes,
            ForecastSnapshot snapshot, Inputs in) {
        List<PlanRow> rows = new ArrayList<>();
        for (OrgNodeId node : nodes) {
            rows.add(new PlanRow(in.org().nameOf(node), node instanceof ManagerId,
                    snapshot.planVsActual(in.org(), node, period, in.plans())));
        }
        return new PlanSection(title, period, rows);
    }

    /**
     * The department funnel of a node.
     *
     * @param node the department
     * @return its funnel
     * @throws IllegalArgumentException when the node is not a department of the report
     */
    public DepartmentFunnel department(OrgNodeId node) {
        return departments.stream().filter(d -> d.node().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a department of the report: " + node));
    }
}
