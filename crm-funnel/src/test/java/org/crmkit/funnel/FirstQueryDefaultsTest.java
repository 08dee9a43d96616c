package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.funnel.Opps.KC;
import static org.crmkit.funnel.Opps.PROCESS;
import static org.crmkit.funnel.Opps.at;
import static org.crmkit.funnel.Opps.opp;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.FunnelNotice.Kind;
import org.junit.jupiter.api.Test;

/**
 * The traps of a first hour with real data (issue #16): a first query needs no period, mode,
 * node or currency, and whatever the figures leave out or assume is written on the result.
 */
class FirstQueryDefaultsTest {
    static final ManagerId ANN = ManagerId.of("ann");
    static final ManagerId BOB = ManagerId.of("bob");
    /** Has deals but is in no unit: the trap of a company total that silently drops them. */
    static final ManagerId GHOST = ManagerId.of("ghost");
    static final UnitId COMPANY = UnitId.of("company");
    static final UnitId TEAM = UnitId.of("team");
    static final OrgStructure ORG = OrgStructure.builder()
            .manager(ANN, "Ann").manager(BOB, "Bob")
            .unit(COMPANY, "Company", UnitKind.COMPANY).unit(TEAM, "Team", UnitKind.GROUP)
            .link(TEAM, COMPANY).member(ANN, TEAM).member(BOB, COMPANY)
            .build();
    static final List<Opportunity> DEALS = List.of(
            opp("a1", "ann", "2026-01-05").amount("1000.00", "EUR").to(KC, "2026-01-10").build(),
            opp("a2", "ann", "2026-02-01").amount("2500.00", "EUR").won("2026-03-01", "2400.00").build(),
            opp("b1", "bob", "2026-01-20").amount("700.00", "EUR").lost("2026-02-10", "price", null).build(),
            opp("g1", "ghost", "2026-01-07").amount("300.00", "EUR").build(),
            opp("g2", "ghost", "2026-02-07").amount("400.00", "EUR").to(KC, "2026-02-08").build());

    static FunnelEngine engine(List<Opportunity> deals, String now) {
        return FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(deals.stream()))
                .clock(Clock.fixed(at(now), ZoneOffset.UTC)).build();
    }

    @Test
    void aQueryWithoutPeriodModeNodesOrCurrencyIsTheWholeBookAsOfNowInItsOnlyCurrency() {
        FunnelResult all = engine(DEALS, "2026-06-01").funnel(FunnelQuery.builder(PROCESS).build());

        assertThat(all.mode()).isEqualTo(FunnelMode.SNAPSHOT);
        assertThat(all.asOf()).isEqualTo(at("2026-06-01"));
        assertThat(all.scope()).isEmpty();
        assertThat(all.count()).isEqualTo(5);
        assertThat(all.open()).isEqualTo(3);
        assertThat(all.openAmount()).isEqualByComparingTo("1700.00");
        assertThat(all.wonAmount()).isEqualByComparingTo("2400.00");
        assertThat(all.currency()).isEqualTo("EUR");
        assertThat(all.notice(Kind.REPORTING_CURRENCY_DEFAULTED).orElseThrow().subjects()).containsExactly("EUR");
        // the ghost's deals are in the whole book, and the result says no unit holds them
        FunnelNotice outside = all.notice(Kind.OWNERS_OUTSIDE_ORG).orElseThrow();
        assertThat(outside.count()).isEqualTo(2);
        assertThat(outside.subjects()).containsExactly("ghost");
        assertThat(outside.message()).contains("are counted here but in no unit's figures");
        assertThat(all.toString()).contains("[whole book]").contains("note: 2 opportunities of 1 owner in no unit");
    }

    @Test
    void theCompanyTotalSaysWhichOpportunitiesItLeavesOutAndAUnitBelowItDoesNot() {
        FunnelEngine e = engine(DEALS, "2026-06-01");
        FunnelQuery q = FunnelQuery.builder(PROCESS).build();
        Map<OrgNodeId, FunnelResult> byNode = e.funnels(q, List.of(COMPANY, TEAM));

        FunnelResult company = byNode.get(COMPANY);
        assertThat(company.count()).isEqualTo(3);
        FunnelNotice outside = company.notice(Kind.OWNERS_OUTSIDE_ORG).orElseThrow();
        assertThat(outside.count()).isEqualTo(2);
        assertThat(outside.subjects()).containsExactly("ghost");
        assertThat(outside.message()).contains("are not counted here");
        assertThat(company.count() + outside.count()).isEqualTo(e.funnel(q).count());
        assertThat(byNode.get(TEAM).notice(Kind.OWNERS_OUTSIDE_ORG)).isEmpty();
        assertThat(byNode.get(TEAM).count()).isEqualTo(2);
        // the same through funnel(query) of the company alone
        assertThat(e.funnel(q.withNodes(List.of(COMPANY)))).isEqualTo(company);
    }

    @Test
    void aManagerOutsideTheOrgIsReportedWithANoticeNotAnError() {
        FunnelResult ghost = engine(DEALS, "2026-06-01").funnel(FunnelQuery.builder(PROCESS).nodes(GHOST).build());
        assertThat(ghost.count()).isEqualTo(2);
        assertThat(ghost.scope()).containsExactly(GHOST);
        assertThat(ghost.notice(Kind.MANAGER_NOT_IN_ORG).orElseThrow().subjects()).containsExactly("ghost");
        assertThat(engine(DEALS, "2026-06-01").rankManagers(FunnelQuery.builder(PROCESS).build(), RankBy.WON_AMOUNT))
                .extracting(ManagerRank::manager).containsExactly(ANN, BOB, GHOST);
    }

    @Test
    void aClockBeforeTheDataSaysSoAndAnExplicitInstantDoesNot() {
        // the engine's "now" is 1 February noon: a2's win, b1's loss and g2 happen after it
        FunnelEngine e = engine(DEALS, "2026-02-01");
        FunnelResult now = e.funnel(FunnelQuery.builder(PROCESS).build());
        FunnelNotice changes = now.notice(Kind.CHANGES_AFTER_AS_OF).orElseThrow();
        assertThat(changes.count()).isEqualTo(3);
        assertThat(changes.message()).contains("the latest at " + at("2026-03-01"));
        // a2 was created at that very instant and counts; g2 (created 7 February) does not
        assertThat(now.count()).isEqualTo(4);

        FunnelResult asked = e.funnel(FunnelQuery.builder(PROCESS).asOf(at("2026-02-01")).build());
        assertThat(asked.notice(Kind.CHANGES_AFTER_AS_OF)).isEmpty();
        assertThat(asked.count()).isEqualTo(now.count());
        assertThat(engine(DEALS, "2026-06-01").funnel(FunnelQuery.builder(PROCESS).build())
                .notice(Kind.CHANGES_AFTER_AS_OF)).isEmpty();
    }

    @Test
    void severalCurrenciesNeedAReportingCurrencyOrTheEnginesDefault() {
        List<Opportunity> mixed = List.of(DEALS.get(0), opp("u1", "bob", "2026-01-09").amount("90.00", "USD").build());
        FunnelQuery q = FunnelQuery.builder(PROCESS).nodes(COMPANY).build();
        assertThatThrownBy(() -> engine(mixed, "2026-06-01").funnel(q)).isInstanceOfSatisfying(
                ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("query.reportingCurrency");
                    assertThat(e.expected()).contains("[EUR, USD]");
                });
        FunnelEngine withDefault = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(List.of(DEALS.get(0))
                .stream())).reportingCurrency("EUR").clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build();
        FunnelResult f = withDefault.funnel(q);
        assertThat(f.currency()).isEqualTo("EUR");
        assertThat(f.notice(Kind.REPORTING_CURRENCY_DEFAULTED).orElseThrow().message()).contains("engine's default");
        // a currency named on the query is no notice
        assertThat(engine(List.of(DEALS.get(0)), "2026-06-01").funnel(q.toBuilder().reportingCurrency("EUR").build())
                .notices()).isEmpty();
    }

    @Test
    void aPopulationWithoutAmountsReportsInNoCurrency() {
        FunnelResult f = engine(List.of(opp("n1", "ann", "2026-01-05").noAmount().build()), "2026-06-01")
                .funnel(FunnelQuery.builder(PROCESS).nodes(TEAM).build());
        assertThat(f.currency()).isEqualTo("XXX");
        assertThat(f.count()).isEqualTo(1);
        assertThat(f.notice(Kind.REPORTING_CURRENCY_DEFAULTED).orElseThrow().message()).contains("no amounts");
    }

    @Test
    void withAPeriodAndNoModeTheQueryIsItsCohort() {
        FunnelQuery q = FunnelQuery.builder(PROCESS).period(FunnelSemanticsTest.Q1).build();
        assertThat(q.mode()).isEqualTo(FunnelMode.COHORT);
        assertThat(FunnelQuery.builder(PROCESS).build().mode()).isEqualTo(FunnelMode.SNAPSHOT);
        assertThat(q.reportingCurrencyIfAny()).isEmpty();
        assertThat(q.nodes()).isEmpty();
    }

    @Test
    void theIdsOfTheOrgAreTheIdsOfQueriesAndResults() {
        FunnelEngine e = engine(DEALS, "2026-06-01");
        FunnelComparison c = e.compare(FunnelQuery.builder(PROCESS).nodes(COMPANY).build());
        assertThat(c.total().scope()).containsExactly(COMPANY);
        assertThat(c.parts()).extracting(NodeFunnel::node).containsExactly(TEAM, BOB);
        assertThat(e.funnels(FunnelQuery.builder(PROCESS).build(), List.of(TEAM, ANN)).keySet())
                .containsExactly(TEAM, ANN);
    }

    @Test
    void anUnknownStageFailsTheQueryNamingTheOpportunity() {
        Opportunity odd = Opportunity.builder().id("odd-1").title("Odd").owner(ANN).processId(PROCESS.id())
                .stage("NEGOTIATION").probability(50).currency("EUR").createdAt(at("2026-01-05"))
                .expectedCloseDate(java.time.LocalDate.of(2026, 3, 1))
                .transitions(List.of(new StageTransition(null, "NEGOTIATION", at("2026-01-05"), ANN))).build();
        FunnelEngine e = engine(List.of(DEALS.get(0), odd), "2026-06-01");
        assertThatThrownBy(() -> e.funnel(FunnelQuery.builder(PROCESS).nodes(TEAM).reportingCurrency("EUR").build()))
                .isInstanceOfSatisfying(ValidationException.class, ex -> {
                    assertThat(ex.opportunityId()).contains(OpportunityId.of("odd-1"));
                    assertThat(ex.value()).isEqualTo("NEGOTIATION");
                });
    }
}
