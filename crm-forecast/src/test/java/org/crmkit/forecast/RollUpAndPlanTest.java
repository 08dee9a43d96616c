package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.config;
import static org.crmkit.forecast.Deals.engine;
import static org.crmkit.forecast.Deals.open;
import static org.crmkit.forecast.Deals.won;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class RollUpAndPlanTest {
    private static final LocalDate AUG = LocalDate.of(2026, 8, 10);
    private static final LocalDate AS_OF = LocalDate.of(2026, 8, 15);
    private static final Period Q2 = APRIL.periodOf(PeriodType.QUARTER, AUG);
    private static final UnitId SALES = UnitId.of("sales");
    private static final UnitId EAST = UnitId.of("east");
    private static final UnitId WEST = UnitId.of("west");
    private static final ManagerId M1 = ManagerId.of("m1");
    private static final ManagerId M2 = ManagerId.of("m2");
    private static final ManagerId M3 = ManagerId.of("m3");
    private static final ManagerId BOSS = ManagerId.of("boss");

    /** m1 sits in both east and west: two paths from sales. */
    private static final OrgStructure ORG = OrgStructure.builder()
            .manager(ManagerId.of("m1"), "Ann").manager(ManagerId.of("m2"), "Bob").manager(ManagerId.of("m3"), "Cid").manager(ManagerId.of("boss"), "Dee")
            .unit(UnitId.of("sales"), "Sales", UnitKind.DIVISION).unit(UnitId.of("east"), "East", UnitKind.GROUP)
            .unit(UnitId.of("west"), "West", UnitKind.GROUP)
            .link(UnitId.of("east"), UnitId.of("sales")).link(UnitId.of("west"), UnitId.of("sales"))
            .member(ManagerId.of("m1"), UnitId.of("east")).member(ManagerId.of("m1"), UnitId.of("west")).member(ManagerId.of("m2"), UnitId.of("east")).member(ManagerId.of("m3"), UnitId.of("west"))
            .member(ManagerId.of("boss"), UnitId.of("sales"))
            .build();

    private static final List<Opportunity> OPPS = List.of(
            open("a", "m1", 50, "1000.00", AUG),
            open("b", "m2", 50, "2000.00", AUG),
            open("c", "m3", 50, "4000.00", AUG));

    private static SalesPlan plan(String node, String target) {
        return new SalesPlan(org.crmkit.core.OrgNodeId.parse(node), Q2, Amounts.of(target, "EUR"));
    }

    @Test
    void aManagerReachableByTwoPathsCountsOncePerNode() {
        ForecastSnapshot s = engine(config().build()).snapshot(OPPS, AS_OF);
        assertThat(s.forecast(ORG, EAST).period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("1500");
        assertThat(s.forecast(ORG, WEST).period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("2500");
        assertThat(s.forecast(ORG, SALES).period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("3500");
        assertThat(s.forecast(ORG, SALES).opportunities()).isEqualTo(3);
    }

    @Test
    void adjustmentsAreKeptBesideTheComputedFigure() {
        ForecastSnapshot s = engine(config().build()).snapshot(OPPS, AS_OF);
        ForecastAdjustment first = ForecastAdjustment.of(SALES, Q2, ForecastFigure.WEIGHTED_OPEN,
                Amounts.of("3000.00", "EUR"), BOSS, Instant.parse("2026-08-01T10:00:00Z"), "c may slip");
        ForecastAdjustment second = ForecastAdjustment.of(SALES, Q2, ForecastFigure.WEIGHTED_OPEN,
                Amounts.of("3200.00", "EUR"), BOSS, Instant.parse("2026-08-02T10:00:00Z"), "c confirmed half");
        NodeForecast tree = s.rollUp(ORG, SALES, List.of(second, first));
        NodePeriodForecast q2 = tree.periods().get(0);
        AdjustedFigure weighted = q2.figure(ForecastFigure.WEIGHTED_OPEN);
        assertThat(weighted.computed()).isEqualByComparingTo("3500");
        assertThat(weighted.adjusted()).isEqualByComparingTo("3200");
        assertThat(weighted.effective()).isEqualByComparingTo("3200");
        assertThat(weighted.adjustments()).containsExactly(first, second);
        assertThat(weighted.latest().orElseThrow().reason()).isEqualTo("c confirmed half");
        assertThat(q2.computed().weightedOpen()).isEqualByComparingTo("3500");
        assertThat(q2.figure(ForecastFigure.COMMIT).adjusted()).isNull();
        assertThat(tree.children()).extracting(NodeForecast::node).containsExactly(EAST, WEST, BOSS);
        NodeForecast east = tree.children().get(0);
        assertThat(east.periods().get(0).adjusted()).isEmpty();
        assertThat(east.periods().get(0).computed().weightedOpen()).isEqualByComparingTo("1500");
        assertThat(east.children()).extracting(NodeForecast::node).containsExactly(M1, M2);
        assertThat(tree.toString()).contains("unit:sales").contains("adjusted 3200");
    }

    @Test
    void adjustmentInAnotherCurrencyIsRejected() {
        ForecastSnapshot s = engine(config().build()).snapshot(OPPS, AS_OF);
        ForecastAdjustment usd = ForecastAdjustment.of(SALES, Q2, ForecastFigure.COMMIT, Amounts.of("1.00", "USD"),
                BOSS, Instant.parse("2026-08-01T10:00:00Z"), "why");
        assertThatThrownBy(() -> s.rollUp(ORG, SALES, List.of(usd))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("adjustment.currency");
    }

    @Test
    void parentPlanIsTheSetPlanOrDerivedFromTheDistinctPlansBelowIt() {
        ForecastSnapshot s = engine(config().build()).snapshot(OPPS, AS_OF);
        List<SalesPlan> plans = List.of(plan("unit:east", "10000.00"), plan("manager:m1", "5000.00"),
                plan("manager:m2", "3000.00"), plan("manager:m3", "6000.00"));
        PlanVsActual east = s.planVsActual(ORG, EAST, Q2, plans);
        assertThat(east.planSource()).isEqualTo(PlanVsActual.PlanSource.SET);
        assertThat(east.plan()).isEqualByComparingTo("10000");
        PlanVsActual west = s.planVsActual(ORG, WEST, Q2, plans);
        assertThat(west.planSource()).isEqualTo(PlanVsActual.PlanSource.SUM_OF_CHILDREN);
        assertThat(west.plan()).isEqualByComparingTo("11000");
        // sales = east (set, 10000, holds m1 and m2) + m3 (6000, reached through west) + boss
        // (none); m1's 5000 is reached through west too but is already inside east's plan (the
        // old level-by-level sum gave 10000 + 11000 = 21000, counting m1 twice)
        assertThat(s.planVsActual(ORG, SALES, Q2, plans).plan()).isEqualByComparingTo("16000");

        ForecastSnapshot summing = engine(config()
                .parentPlanPolicy(ForecastConfig.ParentPlanPolicy.SUM_OF_CHILDREN).build()).snapshot(OPPS, AS_OF);
        PlanVsActual eastSummed = summing.planVsActual(ORG, EAST, Q2, plans);
        assertThat(eastSummed.planSource()).isEqualTo(PlanVsActual.PlanSource.SUM_OF_CHILDREN);
        assertThat(eastSummed.plan()).isEqualByComparingTo("8000");
        // m1 + m2 + m3 once each (was east 8000 + west 11000 = 19000)
        assertThat(summing.planVsActual(ORG, SALES, Q2, plans).plan()).isEqualByComparingTo("14000");
        assertThat(s.planVsActual(ORG, BOSS, Q2, plans).planSource()).isEqualTo(PlanVsActual.PlanSource.NONE);
        assertThat(s.planVsActual(ORG, BOSS, Q2, plans).attainment()).isNull();
    }

    @Test
    void planVsActualGivesAttainmentGapCoverageAndLargeDeals() {
        List<Opportunity> opps = List.of(
                open("a", "m1", 50, "1000.00", AUG),
                open("b", "m2", 50, "2000.00", AUG),
                open("big", "m2", 10, "3000.00", AUG),
                won("w", "m2", "1500.00", "EUR", LocalDate.of(2026, 7, 20)));
        ForecastSnapshot s = engine(config().build()).snapshot(opps, AS_OF);
        PlanVsActual p = s.planVsActual(ORG, EAST, Q2, List.of(plan("unit:east", "10000.00")));
        assertThat(p.actual()).isEqualByComparingTo("1500");
        assertThat(p.weightedOpen()).isEqualByComparingTo("1800");
        assertThat(p.projected()).isEqualByComparingTo("3300");
        assertThat(p.attainment()).isEqualByComparingTo("0.15");
        assertThat(p.projectedAttainment()).isEqualByComparingTo("0.33");
        assertThat(p.remaining()).isEqualByComparingTo("8500");
        assertThat(p.gap()).isEqualByComparingTo("6700");
        assertThat(p.coverage()).isEqualByComparingTo("0.2117647058823529");
        assertThat(p.unweightedCoverage()).isEqualByComparingTo("0.7058823529411765");
        assertThat(p.largeDealThreshold()).isEqualByComparingTo("2500");
        assertThat(p.largeDeals()).extracting(l -> l.id().value()).containsExactly("big");
        assertThat(p.weightedOpenWithoutLargeDeals()).isEqualByComparingTo("1500");
        assertThat(p.projectedWithoutLargeDeals()).isEqualByComparingTo("3000");
        assertThat(p.toString()).contains("plan 10000").contains("large deals 1");
    }

    @Test
    void largeDealShareIsConfigurable() {
        List<Opportunity> opps = List.of(open("a", "m1", 50, "1000.00", AUG), open("b", "m2", 50, "2000.00", AUG));
        ForecastSnapshot s = engine(config().largeDealShare(new java.math.BigDecimal("0.15")).build())
                .snapshot(opps, AS_OF);
        PlanVsActual p = s.planVsActual(ORG, EAST, Q2, List.of(plan("unit:east", "10000.00")));
        assertThat(p.largeDeals()).extracting(l -> l.id().value()).containsExactly("b");
        assertThat(p.projectedWithoutLargeDeals()).isEqualByComparingTo("500");
    }

    @Test
    void resultsAreWrittenByJackson() throws Exception {
        ForecastSnapshot s = engine(config().build()).snapshot(OPPS, AS_OF);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        String forecast = json.writeValueAsString(s.forecast());
        assertThat(forecast).contains("\"commitCumulative\"").contains("\"openPipeline\"")
                .contains("\"reportingCurrency\":\"EUR\"");
        String tree = json.writeValueAsString(s.rollUp(ORG, SALES, List.of(ForecastAdjustment.of(SALES, Q2,
                ForecastFigure.COMMIT, Amounts.of("1.00", "EUR"), BOSS, Instant.parse("2026-08-01T10:00:00Z"),
                "gut"))));
        assertThat(tree).contains("\"reason\":\"gut\"").contains("\"children\"");
        assertThat(json.writeValueAsString(s.planVsActual(ORG, EAST, Q2, List.of(plan("unit:east", "100.00")))))
                .contains("\"planSource\":\"SET\"");
        assertThat(json.writeValueAsString(s.distribution(Q2))).contains("\"method\":\"EXACT\"");
        assertThat(json.writeValueAsString(s.lines().get(0))).contains("\"valueBasis\":\"AMOUNT\"");
    }
}
