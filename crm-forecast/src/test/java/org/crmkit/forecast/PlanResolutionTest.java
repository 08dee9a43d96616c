package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.config;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

/**
 * The derived plan of a unit, computed by hand on a small DAG:
 * <pre>
 *            company
 *           /       \
 *       north       south
 *       /   \       /   \
 *   alpha   beta  beta  gamma        (beta is under both north and south)
 *    | \     |          |
 *   ann bob  bob       cid          (bob is in alpha and in beta)
 * </pre>
 * Plans: ann 100, bob 200, cid 400 (and in some cases a plan set on a unit).
 */
class PlanResolutionTest {
    private static final Period Q = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 5, 1));
    private static final UnitId COMPANY = UnitId.of("company");
    private static final UnitId NORTH = UnitId.of("north");
    private static final UnitId SOUTH = UnitId.of("south");
    private static final UnitId ALPHA = UnitId.of("alpha");
    private static final UnitId BETA = UnitId.of("beta");
    private static final UnitId GAMMA = UnitId.of("gamma");
    private static final ManagerId ANN = ManagerId.of("ann");
    private static final ManagerId BOB = ManagerId.of("bob");
    private static final ManagerId CID = ManagerId.of("cid");

    private static final OrgStructure ORG = OrgStructure.builder()
            .manager(ANN, "Ann").manager(BOB, "Bob").manager(CID, "Cid")
            .unit(COMPANY, "Company", UnitKind.COMPANY).unit(NORTH, "North", UnitKind.DIVISION)
            .unit(SOUTH, "South", UnitKind.DIVISION).unit(ALPHA, "Alpha", UnitKind.GROUP)
            .unit(BETA, "Beta", UnitKind.GROUP).unit(GAMMA, "Gamma", UnitKind.GROUP)
            .link(NORTH, COMPANY).link(SOUTH, COMPANY).link(ALPHA, NORTH).link(BETA, NORTH).link(BETA, SOUTH)
            .link(GAMMA, SOUTH)
            .member(ANN, ALPHA).member(BOB, ALPHA).member(BOB, BETA).member(CID, GAMMA)
            .build();

    private static Map<OrgNodeId, SalesPlan> plans(Object... nodeAndTarget) {
        Map<OrgNodeId, SalesPlan> out = new HashMap<>();
        for (int i = 0; i < nodeAndTarget.length; i += 2) {
            OrgNodeId node = (OrgNodeId) nodeAndTarget[i];
            out.put(node, new SalesPlan(node, Q, Amounts.of((String) nodeAndTarget[i + 1], "EUR")));
        }
        return out;
    }

    private static final Map<OrgNodeId, SalesPlan> MANAGERS_ONLY = plans(ANN, "100", BOB, "200", CID, "400");

    private static PlanResolution.Resolved resolve(ForecastConfig.ParentPlanPolicy policy, OrgNodeId node,
            Map<OrgNodeId, SalesPlan> plans) {
        return PlanResolution.resolve(config().parentPlanPolicy(policy).build(), ORG, node, plans,
                a -> a.getNumber().numberValue(BigDecimal.class));
    }

    private static PlanResolution.Resolved resolve(OrgNodeId node, Map<OrgNodeId, SalesPlan> plans) {
        return resolve(ForecastConfig.ParentPlanPolicy.SET_OR_SUM_OF_CHILDREN, node, plans);
    }

    private static void assertResolved(PlanResolution.Resolved r, String plan, PlanVsActual.PlanSource source) {
        assertThat(r.plan()).isEqualByComparingTo(plan);
        assertThat(r.source()).isEqualTo(source);
    }

    @Test
    void aManagerInTwoUnitsCountsOnceInTheirParent() {
        // alpha = ann + bob = 300; beta = bob = 200; north = ann + bob = 300, not 300 + 200
        assertThat(resolve(ALPHA, MANAGERS_ONLY).plan()).isEqualByComparingTo("300");
        assertThat(resolve(BETA, MANAGERS_ONLY).plan()).isEqualByComparingTo("200");
        assertResolved(resolve(NORTH, MANAGERS_ONLY), "300", PlanVsActual.PlanSource.SUM_OF_CHILDREN);
        // south = bob (through beta) + cid = 600; company = ann + bob + cid = 700, not 300 + 600
        assertThat(resolve(SOUTH, MANAGERS_ONLY).plan()).isEqualByComparingTo("600");
        assertThat(resolve(COMPANY, MANAGERS_ONLY).plan()).isEqualByComparingTo("700");
    }

    @Test
    void aPlanSetOnAUnitStandsForEverythingBelowIt() {
        // alpha's own 250 replaces ann + bob; company = alpha 250 + cid 400: bob, reached again
        // through beta, is inside alpha's plan already
        Map<OrgNodeId, SalesPlan> plans = plans(ANN, "100", BOB, "200", CID, "400", ALPHA, "250");
        assertResolved(resolve(ALPHA, plans), "250", PlanVsActual.PlanSource.SET);
        assertThat(resolve(NORTH, plans).plan()).isEqualByComparingTo("250");
        assertThat(resolve(COMPANY, plans).plan()).isEqualByComparingTo("650");
        // beta (set, 500) holds bob; under company it is reached by two paths and counts once:
        // alpha 250 + beta 500 + cid 400 (bob sits in both set units and so in both plans)
        Map<OrgNodeId, SalesPlan> two = plans(ANN, "100", BOB, "200", CID, "400", ALPHA, "250", BETA, "500");
        assertThat(resolve(COMPANY, two).plan()).isEqualByComparingTo("1150");
        // a plan set on a unit above another set one wins: south's 900 covers beta and gamma
        Map<OrgNodeId, SalesPlan> nested = plans(ANN, "100", BOB, "200", CID, "400", BETA, "500", SOUTH, "900");
        assertThat(resolve(COMPANY, nested).plan()).isEqualByComparingTo("1000");
    }

    @Test
    void sumOfChildrenCountsEachDistinctLeafPlanOnce() {
        ForecastConfig.ParentPlanPolicy sum = ForecastConfig.ParentPlanPolicy.SUM_OF_CHILDREN;
        Map<OrgNodeId, SalesPlan> plans = plans(ANN, "100", BOB, "200", CID, "400", ALPHA, "250", NORTH, "5000");
        // the plans set on alpha and north are not used: both have children
        assertThat(resolve(sum, ALPHA, plans).plan()).isEqualByComparingTo("300");
        assertThat(resolve(sum, NORTH, plans).plan()).isEqualByComparingTo("300");
        assertThat(resolve(sum, COMPANY, plans).plan()).isEqualByComparingTo("700");
        assertResolved(resolve(sum, BOB, plans), "200", PlanVsActual.PlanSource.SET);
    }

    @Test
    void aNodeWithoutAnyPlanBelowHasNone() {
        Map<OrgNodeId, SalesPlan> plans = plans(ANN, "100");
        assertThat(resolve(SOUTH, plans)).isEqualTo(new PlanResolution.Resolved(null, PlanVsActual.PlanSource.NONE));
        assertThat(resolve(CID, plans).source()).isEqualTo(PlanVsActual.PlanSource.NONE);
        assertThat(resolve(COMPANY, plans).plan()).isEqualByComparingTo("100");
    }

    @Test
    void planVsActualOfTheParentUsesTheSameRule() {
        ForecastSnapshot s = Deals.engine(config().build()).snapshot(List.of(), LocalDate.of(2026, 5, 1));
        List<SalesPlan> plans = List.copyOf(MANAGERS_ONLY.values());
        PlanVsActual company = s.planVsActual(ORG, COMPANY, Q, plans);
        assertThat(company.plan()).isEqualByComparingTo("700");
        assertThat(company.planSource()).isEqualTo(PlanVsActual.PlanSource.SUM_OF_CHILDREN);
        assertThat(company.remaining()).isEqualByComparingTo("700");
    }
}
