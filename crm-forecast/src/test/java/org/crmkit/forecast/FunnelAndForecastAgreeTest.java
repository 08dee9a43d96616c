package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.PROCESS;
import static org.crmkit.forecast.Deals.RATES;
import static org.crmkit.forecast.Deals.open;
import static org.crmkit.forecast.Deals.won;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.util.List;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.Coverage;
import org.crmkit.funnel.FunnelDynamics;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.OverduePolicy;
import org.crmkit.funnel.PeriodFunnel;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The funnel and the forecast answer the same questions the same way: where an overdue open
 * deal counts, and in which period a deal closed (in any calendar zone).
 */
class FunnelAndForecastAgreeTest {
    private static final ManagerId M1 = ManagerId.of("m1");
    private static final OrgStructure ORG = OrgStructure.builder().manager(M1, "Ann")
            .unit(UnitId.of("sales"), "Sales", UnitKind.DIVISION).member(M1, UnitId.of("sales")).build();
    /** 2026-06-15, noon in Berlin (the forecast's as-of date, in the calendar's zone). */
    private static final Instant AS_OF = LocalDate.of(2026, 6, 15).atTime(12, 0).atZone(APRIL.zone()).toInstant();
    private static final LocalDate AS_OF_DAY = LocalDate.of(2026, 6, 15);
    /** Fiscal Q1 of the April calendar: April to June 2026, holding the as-of date. */
    private static final Period CURRENT = APRIL.periodOf(PeriodType.QUARTER, AS_OF_DAY);
    /** January to March 2026, over before the as-of date. */
    private static final Period PAST = APRIL.previous(CURRENT);
    private static final Period NEXT = APRIL.next(CURRENT);

    /**
     * Open deals due: in the current quarter but before the as-of date (overdue), in the past
     * quarter (overdue), later in the current quarter, in the next quarter; and a won deal.
     */
    private static final List<Opportunity> DEALS = List.of(
            open("overdue-this-quarter", "m1", 50, "1000.00", LocalDate.of(2026, 5, 10)),
            open("overdue-last-quarter", "m1", 20, "3000.00", LocalDate.of(2026, 3, 20)),
            open("due-this-quarter", "m1", 40, "500.00", LocalDate.of(2026, 6, 30)),
            open("due-next-quarter", "m1", 80, "7000.00", LocalDate.of(2026, 8, 1)),
            won("won-in-may", "m1", "2000.00", "EUR", LocalDate.of(2026, 5, 5)));

    private static FunnelEngine funnel(FiscalCalendar calendar, List<Opportunity> deals, Instant now) {
        return FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(deals.stream())).rates(RATES)
                .calendar(calendar).clock(Clock.fixed(now, calendar.zone())).build();
    }

    private static SalesPlan plan(Period period) {
        return new SalesPlan(M1, period, Amounts.of("10000.00", "EUR"));
    }

    /** Coverage of the funnel and plan vs actual of the forecast for one quarter. */
    private static void assertAgree(OverduePolicy policy, Period quarter, long openCount, String pipeline,
            String weighted, String actual) {
        FunnelQuery query = FunnelQuery.builder(PROCESS).asOf(AS_OF).reportingCurrency("EUR").build();
        Coverage coverage = policy == OverduePolicy.CURRENT_PERIOD
                ? funnel(APRIL, DEALS, AS_OF).coverage(query, plan(quarter))
                : funnel(APRIL, DEALS, AS_OF).coverage(query, plan(quarter), policy);
        ForecastConfig.Builder config = Deals.config();
        if (policy != OverduePolicy.CURRENT_PERIOD) {
            config.overduePolicy(policy);
        }
        ForecastSnapshot snapshot = Deals.engine(config.build()).snapshot(DEALS, AS_OF_DAY);
        PlanVsActual pva = snapshot.planVsActual(ORG, M1, quarter, List.of(plan(quarter)));
        // by hand
        assertThat(coverage.openCount()).isEqualTo(openCount);
        assertThat(coverage.pipeline()).isEqualByComparingTo(pipeline);
        assertThat(coverage.weightedPipeline()).isEqualByComparingTo(weighted);
        assertThat(coverage.actual()).isEqualByComparingTo(actual);
        // and the forecast says the same
        assertThat(pva.forecast().openPipeline().count()).isEqualTo(openCount);
        assertThat(pva.forecast().openPipeline().amount()).isEqualByComparingTo(pipeline);
        assertThat(pva.weightedOpen()).isEqualByComparingTo(weighted);
        assertThat(pva.actual()).isEqualByComparingTo(actual);
        assertThat(pva.remaining()).isEqualByComparingTo(coverage.remaining());
    }

    @Test
    void overdueDealsCountInTheCurrentPeriodInCoverageAndForecastByDefault() {
        // current quarter: 1000 (overdue, 50 %) + 3000 (overdue from the last quarter, 20 %) + 500 (40 %)
        assertAgree(OverduePolicy.CURRENT_PERIOD, CURRENT, 3, "4500", "1300", "2000");
        // the past quarter has no open deal left: its overdue one moved to the current quarter
        assertAgree(OverduePolicy.CURRENT_PERIOD, PAST, 0, "0", "0", "0");
        assertAgree(OverduePolicy.CURRENT_PERIOD, NEXT, 1, "7000", "5600", "0");
    }

    @Test
    void withTheCloseDatePolicyBothKeepOverdueDealsInTheirOwnPeriod() {
        assertAgree(OverduePolicy.CLOSE_DATE_PERIOD, CURRENT, 2, "1500", "700", "2000");
        assertAgree(OverduePolicy.CLOSE_DATE_PERIOD, PAST, 1, "3000", "600", "0");
        assertAgree(OverduePolicy.CLOSE_DATE_PERIOD, NEXT, 1, "7000", "5600", "0");
    }

    /**
     * A generated year (closes at any time of day, close dates recorded in UTC) reported in a
     * calendar of another zone: each month's won deals and revenue are the same in the ACTIVITY
     * funnel (by the transition into WON), in the coverage's actual and in the forecast's actual.
     */
    @ParameterizedTest
    @ValueSource(strings = {"America/New_York", "Asia/Tokyo", "Europe/Berlin", "Pacific/Kiritimati"})
    void wonByMonthAgreesInAnyCalendarZone(String zoneName) {
        DatasetGenerator gen = DatasetGenerator.of(GeneratorConfig.builder().seed(13L).opportunities(3_000)
                .currency("EUR", 1).reportingCurrency("EUR").build());
        List<Opportunity> deals = gen.opportunities().toList();
        FiscalCalendar calendar = FiscalCalendar.of(Month.JANUARY, ZoneId.of(zoneName));
        LocalDate asOfDay = gen.config().asOfDate();
        Instant asOf = gen.asOf();
        FunnelEngine funnel = FunnelEngine.builder().org(gen.orgStructure()).source(OpportunityColumns.of(deals.stream()))
                .rates(gen.exchangeRates()).calendar(calendar).clock(Clock.fixed(asOf, calendar.zone())).build();
        FunnelQuery activity = FunnelQuery.builder(gen.process()).mode(FunnelMode.ACTIVITY)
                .period(calendar.periodOf(PeriodType.MONTH, gen.config().start())).asOf(asOf)
                .reportingCurrency("EUR").build();
        FunnelDynamics byMonth = funnel.dynamics(activity, PeriodType.MONTH, gen.config().start(),
                asOfDay.minusDays(1));
        ForecastSnapshot forecast = ForecastEngine.builder(ForecastConfig.builder(calendar, Amounts.currency("EUR"))
                .periodType(PeriodType.MONTH).build()).processes(gen.processes()).exchangeRates(gen.exchangeRates())
                .build().snapshot(deals, asOfDay);
        assertThat(byMonth.points()).hasSizeGreaterThan(6);
        long closesOnABorderDay = deals.stream().filter(o -> o.closedAt().isPresent())
                .filter(o -> !calendar.dateOf(o.closedAt().orElseThrow()).equals(o.closeInfo().orElseThrow().closeDate()))
                .count();
        // the dataset does test the rule: many closes fall on another day in this zone than in UTC
        assertThat(closesOnABorderDay).isPositive();
        long won = 0;
        for (PeriodFunnel point : byMonth.points()) {
            Period month = calendar.periodOf(PeriodType.MONTH, point.start());
            PeriodForecast f = forecast.forecast().periodOrEmpty(month);
            assertThat(f.closed().count()).as("won in %s", month).isEqualTo(point.funnel().won());
            assertThat(f.closed().amount()).as("won revenue in %s", month)
                    .isEqualByComparingTo(point.funnel().wonAmount());
            won += point.funnel().won();
        }
        assertThat(won).isPositive();
        Period lastMonth = calendar.periodOf(PeriodType.MONTH, asOfDay.minusMonths(1));
        UnitId root = gen.orgStructure().roots().get(0);
        Coverage coverage = funnel.coverage(FunnelQuery.builder(gen.process()).asOf(asOf).reportingCurrency("EUR")
                .build(), new SalesPlan(root, lastMonth, Amounts.of("1.00", "EUR")));
        assertThat(coverage.actual()).isEqualByComparingTo(
                forecast.forecast(gen.orgStructure(), root).periodOrEmpty(lastMonth).actual());
        assertThat(coverage.actual()).isGreaterThan(BigDecimal.ZERO);
    }
}
