package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.funnel.FunnelSemanticsTest.OPPS;
import static org.crmkit.funnel.FunnelSemanticsTest.ORG;
import static org.crmkit.funnel.FunnelSemanticsTest.Q1;
import static org.crmkit.funnel.FunnelSemanticsTest.engine;
import static org.crmkit.funnel.FunnelSemanticsTest.query;
import static org.crmkit.funnel.Opps.PP;
import static org.crmkit.funnel.Opps.at;
import static org.crmkit.funnel.Opps.opp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

/** Hand-computed comparisons, rankings, win/loss, coverage and dynamics. */
class ReportsTest {
    static final FiscalCalendar UTC = FiscalCalendar.calendarYear(ZoneOffset.UTC);

    @Test
    void comparisonShowsEachChildBesideTheTotalWithItsShare() {
        FunnelComparison c = engine(OPPS).compare(query().period(Q1).build());
        assertThat(c.total().count()).isEqualTo(4);
        assertThat(c.parts()).extracting(NodeFunnel::node).containsExactly(UnitId.of("g1"), UnitId.of("g2"));
        NodeFunnel g1 = c.parts().get(0);
        NodeFunnel g2 = c.parts().get(1);
        assertThat(g1.funnel().count()).isEqualTo(2);
        assertThat(g1.countShare()).isEqualTo(0.5);
        assertThat(g1.openAmountShare()).isEqualTo(1.0);
        assertThat(g1.wonAmountShare()).isEqualTo(0.0);
        assertThat(g2.funnel().count()).isEqualTo(4);
        assertThat(g2.countShare()).isEqualTo(1.0); // m1 sits in both groups: shares add up to more than 1
        assertThat(g1.funnel().scope()).containsExactly(UnitId.of("g1"));
        assertThat(c.toString()).contains("unit:g2").contains("50.0%");
    }

    @Test
    void comparisonNeedsExactlyOneUnit() {
        assertThatThrownBy(() -> engine(OPPS).compare(query().period(Q1).build()
                .withNodes(List.of(ManagerId.of("m1"))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("query.nodes");
    }

    @Test
    void rankingOrdersManagersByTheFigureWithMissingFiguresLast() {
        List<ManagerRank> byWon = engine(OPPS).rankManagers(query().period(Q1).build(), RankBy.WON_AMOUNT);
        assertThat(byWon).extracting(r -> r.manager().value()).containsExactly("m2", "m1", "m3");
        assertThat(byWon).extracting(ManagerRank::rank).containsExactly(1, 2, 3);
        assertThat(byWon.get(0).wonAmount()).isEqualByComparingTo("3000.00");
        assertThat(byWon.get(0).name()).isEqualTo("Bob");
        List<ManagerRank> byRate = engine(OPPS).rankManagers(query().period(Q1).build(), RankBy.WIN_RATE);
        assertThat(byRate.get(0).winRate()).isEqualTo(0.5);
        assertThat(byRate.get(1).winRate()).isNull();
        List<ManagerRank> byConversion = engine(OPPS).rankManagers(query().period(Q1).build(), RankBy.CONVERSION);
        // m2: o4 won reached CLOSING, o3 did not: 1/2; m1: neither o1 nor o2 reached CLOSING: 0/2
        assertThat(byConversion).extracting(ManagerRank::conversion).containsExactly(0.5, 0.0, null);
    }

    @Test
    void winLossByReasonCompetitorAndStageLostAt() {
        WinLossAnalysis w = engine(OPPS).winLoss(query().period(Q1).build());
        assertThat(w.won()).isEqualTo(1);
        assertThat(w.lost()).isEqualTo(1);
        assertThat(w.byReason()).containsExactly(new WinLossRow("price", 1, 1, new java.math.BigDecimal("3000.00"),
                new java.math.BigDecimal("500.00"), 0.5));
        assertThat(w.byCompetitor()).extracting(WinLossRow::key, WinLossRow::lost).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Acme", 1L));
        assertThat(w.byStageLostAt()).extracting(WinLossRow::lost).containsExactly(0L, 0L, 1L, 0L, 0L);
        assertThat(w.byStageLostAt().get(2).key()).isEqualTo(PP);
        assertThat(w.toString()).contains("Acme").contains("stage lost at");
    }

    @Test
    void coverageDividesPipelineExpectedInThePeriodByWhatIsLeftOfThePlan() {
        List<Opportunity> opps = new ArrayList<>(OPPS);
        opps.add(opp("o6", "m1", "2026-04-01").won("2026-04-15", "4000.00").build());
        FunnelEngine e = engine(opps);
        SalesPlan plan = new SalesPlan(UnitId.of("dept"), UTC.periodOf(PeriodType.QUARTER, LocalDate.parse("2026-04-01")),
                Amounts.of("10000.00", "EUR"));
        Coverage c = e.coverage(query().build(), plan);
        // open expected to close in Q2: o1 (1000, 60 %) and o2 (2000, 25 %); o5 is expected in July
        assertThat(c.openCount()).isEqualTo(2);
        assertThat(c.actual()).isEqualByComparingTo("4000.00");
        assertThat(c.remaining()).isEqualByComparingTo("6000.00");
        assertThat(c.pipeline()).isEqualByComparingTo("3000.00");
        assertThat(c.weightedPipeline()).isEqualByComparingTo("1100.00");
        assertThat(c.coverage()).isEqualTo(0.5);
        assertThat(c.toString()).contains("0.50x");
        assertThat(c.weightedCoverage()).isCloseTo(1100.0 / 6000, org.assertj.core.data.Offset.offset(1e-12));
        SalesPlan met = new SalesPlan(UnitId.of("dept"), plan.period(), Amounts.of("3000.00", "EUR"));
        assertThat(e.coverage(query().build(), met).coverage()).isNull();
    }

    @Test
    void cohortDynamicsGivesOneFunnelPerMonth() {
        FunnelDynamics d = engine(OPPS).dynamics(query().mode(FunnelMode.COHORT).build(), PeriodType.MONTH, LocalDate.parse("2026-01-01"),
                LocalDate.parse("2026-04-30"));
        assertThat(d.points()).extracting(PeriodFunnel::period).containsExactly("2026-01", "2026-02", "2026-03",
                "2026-04");
        assertThat(d.points()).extracting(p -> p.funnel().count()).containsExactly(2L, 1L, 1L, 1L);
        assertThat(d.toString()).contains("2026-02").contains("MONTH");
        assertThat(d.points().get(0).funnel()).isEqualTo(engine(OPPS).funnel(query()
                .period(UTC.periodOf(PeriodType.MONTH, LocalDate.parse("2026-01-01"))).build()));
    }

    @Test
    void snapshotDynamicsReplaysTheEndOfEachMonth() {
        FunnelDynamics d = engine(OPPS).dynamics(query().mode(FunnelMode.SNAPSHOT).build(), PeriodType.MONTH,
                LocalDate.parse("2026-01-01"), LocalDate.parse("2026-03-31"));
        assertThat(d.points()).extracting(p -> p.funnel().count()).containsExactly(2L, 3L, 4L);
        assertThat(d.points()).extracting(p -> p.funnel().won()).containsExactly(0L, 0L, 1L);
        assertThat(d.points().get(1).funnel().stage(Opps.KC).at()).isEqualTo(1); // o2 moved back in February
    }

    @Test
    void resultsAreWrittenAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        FunnelEngine e = engine(OPPS);
        String text = json.writeValueAsString(e.funnel(query().period(Q1).build()));
        assertThat(text).contains("\"reached\":4").contains("\"currency\":\"EUR\"").contains("\"winRate\":0.5");
        assertThat(json.writeValueAsString(e.compare(query().period(Q1).build()))).contains("\"countShare\":0.5");
        assertThat(json.writeValueAsString(e.winLoss(query().period(Q1).build()))).contains("\"key\":\"Acme\"");
    }

    @Test
    void engineUsesTheInjectedClockForNow() {
        FunnelEngine early = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(OPPS.stream()))
                .clock(Clock.fixed(at("2026-01-25"), ZoneOffset.UTC)).build();
        FunnelResult r = early.funnel(query().period(Q1).build());
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.asOf()).isEqualTo(at("2026-01-25"));
    }
}
