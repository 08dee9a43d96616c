package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.forecast.Deals.APRIL;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * A hand-computed backtest: fiscal Q1 and Q2 of FY2026 (April to September 2026, Berlin), read
 * at day 0 and day 45 of each, for a team (m1, m2), m3 outside it, and the company, which m1
 * reaches both through the team and directly.
 *
 * <p>The book: A (m1, 1000, 50 % at day 0, raised to 90 % on 20 April, won 20 May); B (m2, 2000,
 * 30 %, due 10 June, pushed to 20 August on 5 May, won 25 August); C (m1, 500, 85 %, lost 15 June);
 * D (m3, 3000, 60 %, handed to m2 on 10 April, won 1 May); E (m1, 700, 60 %, created 15 April, won
 * 1 June); F (m1, 1000, 40 %, due 15 September, still open); G (m3, 100, 10 %, due 10 August, open,
 * its history starting 1 August).
 */
class ForecastBacktestTest {
    private static final ManagerId M1 = ManagerId.of("m1");
    private static final ManagerId M2 = ManagerId.of("m2");
    private static final ManagerId M3 = ManagerId.of("m3");
    private static final UnitId TEAM = UnitId.of("team");
    private static final UnitId OTHER = UnitId.of("other");
    private static final UnitId COMPANY = UnitId.of("company");
    private static final OrgStructure ORG = OrgStructure.builder().unit(COMPANY, "Company", UnitKind.DEPARTMENT)
            .unit(TEAM, "Team", UnitKind.GROUP).unit(OTHER, "Other", UnitKind.GROUP)
            .link(TEAM, COMPANY).link(OTHER, COMPANY)
            .manager(M1, "Ann").manager(M2, "Bob").manager(M3, "Cy")
            .member(M1, TEAM).member(M1, COMPANY).member(M2, TEAM).member(M3, OTHER).build();
    private static final Period Q1 = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 5, 1));
    private static final Period Q2 = APRIL.next(Q1);
    private static final Instant ACTUALS_AT = at("2026-10-15");
    private static final ForecastEngine ENGINE = Deals.engine(Deals.config().build());

    private static Instant at(String day) {
        return LocalDate.parse(day).atTime(9, 0).toInstant(ZoneOffset.UTC);
    }

    private static Opportunity open(String id, ManagerId owner, int probability, String amount, String close) {
        return Deals.open(id, owner.value(), SalesProcesses.QUALIFICATION, probability, amount, "EUR",
                LocalDate.parse(close));
    }

    private static Opportunity closed(Opportunity o, String terminal, String day) {
        Opportunity.Builder b = o.toBuilder().stage(terminal)
                .addTransition(new StageTransition(o.stage(), terminal, at(day), o.owner()));
        return (SalesProcess.WON.equals(terminal) ? b.closeInfo(CloseInfo.won(null, o.amount().orElseThrow(), "fit"))
                : b.closeInfo(CloseInfo.lost(null, "price", null))).build();
    }

    private static Opportunity createdOn(Opportunity o, String day) {
        return o.toBuilder().createdAt(at(day))
                .transitions(List.of(new StageTransition(null, o.stage(), at(day), o.owner()))).build();
    }

    static List<Opportunity> book() {
        List<Opportunity> b = new ArrayList<>();
        b.add(closed(open("A", M1, 50, "1000.00", "2026-05-15").edit(at("2026-04-20"), M1).probability(90).apply(),
                SalesProcess.WON, "2026-05-20"));
        b.add(closed(open("B", M2, 30, "2000.00", "2026-06-10").edit(at("2026-05-05"), M2)
                .expectedCloseDate(LocalDate.of(2026, 8, 20)).apply(), SalesProcess.WON, "2026-08-25"));
        b.add(closed(open("C", M1, 85, "500.00", "2026-06-30"), SalesProcess.LOST, "2026-06-15"));
        b.add(closed(open("D", M3, 60, "3000.00", "2026-05-01").edit(at("2026-04-10"), M3).owner(M2).apply(),
                SalesProcess.WON, "2026-05-01"));
        b.add(closed(createdOn(open("E", M1, 60, "700.00", "2026-06-01"), "2026-04-15"), SalesProcess.WON,
                "2026-06-01"));
        b.add(open("F", M1, 40, "1000.00", "2026-09-15"));
        b.add(open("G", M3, 10, "100.00", "2026-08-10").toBuilder()
                .changes(List.of(FieldChange.historyStart(at("2026-08-01"), M3))).build());
        return b;
    }

    private static ForecastBacktest backtest() {
        return ForecastBacktest.run(ENGINE, book(), ORG, List.of(TEAM, M3, COMPANY),
                ForecastBacktest.Point.daysIn(APRIL, List.of(Q1, Q2), 0, 45), ACTUALS_AT);
    }

    private static ForecastBacktest.Row row(ForecastBacktest b, OrgNodeId node, Period p, String label) {
        return b.rows().stream().filter(r -> r.node().equals(node) && r.point().period().equals(p)
                && r.point().label().equals(label)).findFirst().orElseThrow();
    }

    private static ForecastBacktest.Summary summary(ForecastBacktest b, OrgNodeId node, String label) {
        return b.summary().stream().filter(s -> s.node().equals(node) && s.label().equals(label)).findFirst()
                .orElseThrow();
    }

    @Test
    void daysInArePeriodStartsInTheCalendarsZonePlusWholeDays() {
        List<ForecastBacktest.Point> points = ForecastBacktest.Point.daysIn(APRIL, List.of(Q1, Q2), 0, 45);
        assertThat(points).extracting(ForecastBacktest.Point::at).containsExactly(
                Instant.parse("2026-03-31T22:00:00Z"), Instant.parse("2026-05-15T22:00:00Z"),
                Instant.parse("2026-06-30T22:00:00Z"), Instant.parse("2026-08-14T22:00:00Z"));
        assertThat(points).extracting(ForecastBacktest.Point::label).containsExactly("day 0", "day 45", "day 0",
                "day 45");
    }

    @Test
    void theTeamAtTheStartOfQ1HadTheValuesOfThenAndMissedTheDealsCreatedOrHandedInLater() {
        ForecastBacktest.Row r = row(backtest(), TEAM, Q1, "day 0");
        // A 1000 × 50 % (best case) + B 2000 × 30 % (pipeline) + C 500 × 85 % (commit); D was m3's then
        assertThat(r.openDeals()).isEqualTo(3);
        assertThat(r.wonByPoint()).isEqualByComparingTo("0");
        assertThat(r.expected()).isEqualByComparingTo("1525");
        assertThat(r.commit()).isEqualByComparingTo("500");
        assertThat(r.bestCase()).isEqualByComparingTo("1500");
        assertThat(r.openPipeline()).isEqualByComparingTo("3500");
        // every sum of the three: P10 500 (cumulative 0.35), P50 1500 (0.70), P90 3500 (1.0)
        assertThat(r.distributionMethod()).isEqualTo(RevenueDistribution.Method.EXACT);
        assertThat(r.p10()).isEqualByComparingTo("500");
        assertThat(r.p50()).isEqualByComparingTo("1500");
        assertThat(r.p90()).isEqualByComparingTo("3500");
        // won: A 1000 + D 3000 (m2's at the close) + E 700
        assertThat(r.actual()).isEqualByComparingTo("4700");
        assertThat(r.error()).isEqualByComparingTo("-3175");
        assertThat(r.absoluteError()).isEqualByComparingTo("3175");
        assertThat(r.percentageError()).isEqualByComparingTo("0.6755319148936170");
        assertThat(r.insideP10P90()).isFalse();
        assertThat(r.incompleteHistory()).isZero();
    }

    @Test
    void fortyFiveDaysIntoQ1TheForecastCountsTheWonDealAndTheRaisedProbability() {
        ForecastBacktest.Row r = row(backtest(), TEAM, Q1, "day 45");
        // won D 3000; open A 1000 × 90 %, C 500 × 85 %, E 700 × 60 %; B pushed out of the quarter
        assertThat(r.wonByPoint()).isEqualByComparingTo("3000");
        assertThat(r.openDeals()).isEqualTo(3);
        assertThat(r.expected()).isEqualByComparingTo("4745");
        assertThat(r.commit()).isEqualByComparingTo("4500");
        assertThat(r.bestCase()).isEqualByComparingTo("5200");
        assertThat(r.p10()).isEqualByComparingTo("4000");
        assertThat(r.p50()).isEqualByComparingTo("4700");
        assertThat(r.p90()).isEqualByComparingTo("5200");
        assertThat(r.error()).isEqualByComparingTo("45");
        assertThat(r.insideP10P90()).isTrue();
    }

    @Test
    void aDealIsInTheForecastOfItsOwnerThenAndInTheActualOfItsOwnerAtTheClose() {
        ForecastBacktest b = backtest();
        ForecastBacktest.Row m3 = row(b, M3, Q1, "day 0");
        assertThat(m3.expected()).isEqualByComparingTo("1800");
        assertThat(m3.actual()).isEqualByComparingTo("0");
        assertThat(m3.percentageError()).isNull();
        // the company counts m1 once although it reaches m1 twice: the team's and m3's figures added
        ForecastBacktest.Row company = row(b, COMPANY, Q1, "day 0");
        assertThat(company.expected()).isEqualByComparingTo("3325");
        assertThat(company.openPipeline()).isEqualByComparingTo("6500");
        assertThat(company.actual()).isEqualByComparingTo("4700");
    }

    @Test
    void aDealWhoseHistoryStartsAfterThePointIsCountedAsIncomplete() {
        ForecastBacktest b = backtest();
        ForecastBacktest.Row g = row(b, M3, Q2, "day 0");
        assertThat(g.incompleteHistory()).isEqualTo(1);
        assertThat(g.expected()).isEqualByComparingTo("10");
        assertThat(row(b, M3, Q2, "day 45").incompleteHistory()).isZero();
        assertThat(row(b, COMPANY, Q2, "day 0").incompleteHistory()).isEqualTo(1);
        assertThat(row(b, TEAM, Q2, "day 0").incompleteHistory()).isZero();
    }

    @Test
    void theSummaryIsTheBiasMapeWapeAndCoverageOverThePeriods() {
        ForecastBacktest b = backtest();
        ForecastBacktest.Row q2 = row(b, TEAM, Q2, "day 0");
        // B 2000 × 30 % + F 1000 × 40 %; P10 0 (0.42), P50 1000 (0.70), P90 3000 (1.0); won B 2000
        assertThat(q2.expected()).isEqualByComparingTo("1000");
        assertThat(q2.p90()).isEqualByComparingTo("3000");
        assertThat(q2.actual()).isEqualByComparingTo("2000");
        assertThat(q2.insideP10P90()).isTrue();
        ForecastBacktest.Summary s = summary(b, TEAM, "day 0");
        assertThat(s.periods()).isEqualTo(2);
        assertThat(s.actual()).isEqualByComparingTo("6700");
        assertThat(s.expected()).isEqualByComparingTo("2525");
        assertThat(s.bias()).isEqualByComparingTo("-2087.5");
        assertThat(s.meanAbsoluteError()).isEqualByComparingTo("2087.5");
        assertThat(s.mape()).isEqualByComparingTo("0.5877659574468085");
        assertThat(s.zeroActualPeriods()).isZero();
        assertThat(s.wape()).isEqualByComparingTo("0.6231343283582090");
        assertThat(s.insideP10P90()).isEqualTo(1);
        assertThat(s.coverage()).isEqualByComparingTo("0.5");
        ForecastBacktest.Summary day45 = summary(b, TEAM, "day 45");
        assertThat(day45.bias()).isEqualByComparingTo("-477.5");
        assertThat(day45.coverage()).isEqualByComparingTo("1");
    }

    @Test
    void periodsWithoutRevenueAreReportedOutsideTheMapeNotDropped() {
        ForecastBacktest.Summary s = summary(backtest(), M3, "day 0");
        assertThat(s.periods()).isEqualTo(2);
        assertThat(s.zeroActualPeriods()).isEqualTo(2);
        assertThat(s.mape()).isNull();
        assertThat(s.wape()).isNull();
        assertThat(s.bias()).isEqualByComparingTo("905");
    }

    @Test
    void badPointsAndPeriodsNotYetOverAreRefusedNamingTheField() {
        Instant afterQ1 = Q1.end().atStartOfDay(APRIL.zone()).toInstant();
        assertThatThrownBy(() -> ForecastBacktest.run(ENGINE, book(), ORG, List.of(TEAM),
                List.of(new ForecastBacktest.Point(Q1, afterQ1, "late")), ACTUALS_AT))
                .isInstanceOf(ValidationException.class).hasMessageContaining("point.at");
        assertThatThrownBy(() -> ForecastBacktest.run(ENGINE, book(), ORG, List.of(TEAM),
                ForecastBacktest.Point.daysIn(APRIL, List.of(Q2), 0), at("2026-09-01")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("actualsAt");
        assertThatThrownBy(() -> ForecastBacktest.Point.daysIn(APRIL, List.of(Q1), 91))
                .isInstanceOf(ValidationException.class).hasMessageContaining("days").hasMessageContaining("91");
        assertThatThrownBy(() -> ForecastBacktest.run(ENGINE, book(), ORG, List.of(), List.of(), ACTUALS_AT))
                .isInstanceOf(ValidationException.class).hasMessageContaining("nodes");
    }

    @Test
    void theReadmeSnippetRunsAsWritten() {
        ForecastEngine engine = ENGINE;
        org.crmkit.core.FiscalCalendar calendar = engine.config().calendar();
        List<Opportunity> opportunities = book();
        OrgStructure org = ORG;
        // as in README.md, "How good was the forecast" (the team for "sales")
        List<Period> quarters = calendar.periods(PeriodType.QUARTER, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 9, 30));
        ForecastBacktest backtest = ForecastBacktest.run(engine, opportunities, org, List.of(TEAM),
                ForecastBacktest.Point.daysIn(calendar, quarters, 0, 30), Instant.now());
        assertThat(backtest.summary()).extracting(ForecastBacktest.Summary::label).containsExactly("day 0", "day 30");
        ProbabilityCalibration calibration = ProbabilityCalibration.measure(engine, opportunities, quarters.get(2),
                ProbabilityCalibration.Point.daysBeforeClose(30),
                List.of(ProbabilityModels.own(), ProbabilityModels.stageDefault()));
        java.math.BigDecimal brier = calibration.model("own").overall().brierScore();
        assertThat(brier).isNotNull();
        assertThat(calibration.excluded()).isEmpty();
        CloseDateSlip.NodeSlip slips = CloseDateSlip.of(opportunities, null, null).rollUp(org, TEAM);
        assertThat(slips.pushes()).isEqualTo(1);
    }
}
