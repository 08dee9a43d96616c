package org.crmkit.examples;

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
import org.crmkit.core.money.Amounts;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.HistoricalWinRateModel;
import org.crmkit.forecast.PeriodForecast;
import org.crmkit.forecast.PlanVsActual;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.funnel.Coverage;
import org.crmkit.funnel.FunnelDynamics;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.PeriodFunnel;
import org.crmkit.funnel.WinLossAnalysis;
import org.crmkit.funnel.spi.FunnelCellSource;

/**
 * Everything the example shows, computed once through the SDK's engines (the funnel over the
 * store's SQL aggregates or in-memory columns, the forecast over the opportunities): the funnel of each
 * department with its managers beside it, win/loss reasons and competitors, plan vs actual,
 * the next quarter's forecast with its distribution, the monthly dynamics and what each open
 * deal needs next. The console tables ({@link ConsoleReport}) and the HTML page
 * ({@link HtmlReport}) only present these values.
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
 */
public record SalesReport(String company, Instant asOf, String currency, Period window,
        List<DepartmentFunnel> departments, WinLossAnalysis winLoss, List<PlanSection> plans,
        ForecastSection forecast, List<CoverageRow> coverage, List<MonthRow> months, List<NextStep> nextSteps) {

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
     * @param cells where the funnel's cells come from: a store that groups in SQL, or null
     *     to hold {@code opportunities} as in-memory columns
     */
    public record Inputs(String company, OrgStructure org, SalesProcess process, Collection<SalesPlan> plans,
            List<Opportunity> opportunities, ExchangeRateProvider rates, FiscalCalendar calendar,
            CurrencyUnit currency, Period window, Instant asOf, OrgNodeId root, List<OrgNodeId> departments,
            FunnelCellSource cells) {
        /**
         * Copies the collections.
         */
        public Inputs {
            plans = List.copyOf(plans);
            opportunities = List.copyOf(opportunities);
            departments = List.copyOf(departments);
        }

        /**
         * The same inputs with the funnel's cells taken from a source (e.g. the store).
         *
         * @param source the cell source
         * @return the changed inputs
         */
        public Inputs withCells(FunnelCellSource source) {
            return new Inputs(company, org, process, plans, opportunities, rates, calendar, currency, window, asOf,
                    root, departments, Objects.requireNonNull(source, "source"));
        }
    }

    /**
     * The inputs of the training-company scenario for a set of (stored) opportunities.
     *
     * @param org the org structure
     * @param process the process
     * @param plans the plans
     * @param opportunities the opportunities
     * @return the inputs
     */
    public static Inputs trainingCompany(OrgStructure org, SalesProcess process, Collection<SalesPlan> plans,
            List<Opportunity> opportunities) {
        return new Inputs(org.nameOf(TrainingCompany.company()), org, process, plans, opportunities,
                TrainingCompany.rates(), TrainingCompany.CALENDAR, Amounts.currency("EUR"),
                Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)), TrainingCompany.AS_OF,
                TrainingCompany.company(), List.of(UnitId.of("corporate"), UnitId.of("public")), null);
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
        FunnelEngine funnel = FunnelEngine.builder().org(in.org())
                .source(in.cells() != null ? in.cells() : OpportunityColumns.of(in.opportunities().stream()))
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
        ForecastSnapshot snapshot = forecastEngine.snapshot(in.opportunities(), today);

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

        return new SalesReport(in.company(), in.asOf(), in.currency().getCurrencyCode(), in.window(), departments,
                winLoss, plans, forecast, coverage, months, next);
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
