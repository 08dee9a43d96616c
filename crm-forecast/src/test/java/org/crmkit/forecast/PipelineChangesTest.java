package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.CREATED;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

/**
 * A hand-computed waterfall: one deal per step and two for precedence, team m1 + m2 against m3
 * outside it, fiscal Q1 (April to June 2026) from 1 April to 15 June.
 */
class PipelineChangesTest {
    private static final ManagerId M1 = ManagerId.of("m1");
    private static final ManagerId M2 = ManagerId.of("m2");
    private static final ManagerId M3 = ManagerId.of("m3");
    private static final UnitId TEAM = UnitId.of("team");
    private static final UnitId COMPANY = UnitId.of("company");
    private static final OrgStructure ORG = OrgStructure.builder().unit(COMPANY, "Company", UnitKind.DEPARTMENT)
            .unit(TEAM, "Team", UnitKind.GROUP).unit(UnitId.of("other"), "Other", UnitKind.GROUP)
            .link(TEAM, COMPANY).link(UnitId.of("other"), COMPANY)
            .manager(M1, "Ann").manager(M2, "Bob").manager(M3, "Cy")
            .member(M1, TEAM).member(M2, TEAM).member(M3, UnitId.of("other")).build();
    private static final Period Q1 = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 5, 1));
    private static final Instant FROM = at("2026-04-01");
    private static final Instant TO = at("2026-06-15");
    private static final ForecastEngine ENGINE = Deals.engine(Deals.config().build());

    private static Instant at(String day) {
        return LocalDate.parse(day).atTime(9, 0).toInstant(ZoneOffset.UTC);
    }

    private static Opportunity open(String id, ManagerId owner, String amount, String close) {
        return Deals.open(id, owner.value(), SalesProcesses.QUALIFICATION, 30, amount, "EUR", LocalDate.parse(close));
    }

    private static Opportunity closed(Opportunity o, String terminal, String day) {
        Instant when = at(day);
        Opportunity.Builder b = o.toBuilder().stage(terminal)
                .addTransition(new StageTransition(o.stage(), terminal, when, o.owner()));
        return (SalesProcess.WON.equals(terminal)
                ? b.closeInfo(CloseInfo.won(null, o.amount().orElseThrow(), "fit"))
                : b.closeInfo(CloseInfo.lost(null, "price", null))).build();
    }

    private static Opportunity moved(Opportunity o, String stage, String day) {
        return o.toBuilder().stage(stage).addTransition(new StageTransition(o.stage(), stage, at(day), o.owner())).build();
    }

    private static List<Opportunity> book() {
        List<Opportunity> b = new ArrayList<>();
        b.add(closed(open("won", M1, "1000.00", "2026-06-10"), SalesProcess.WON, "2026-05-10"));
        b.add(closed(open("lost", M2, "500.00", "2026-06-10"), SalesProcess.LOST, "2026-05-20"));
        b.add(open("pushed-out", M1, "700.00", "2026-06-20").edit(at("2026-05-01"), M1)
                .expectedCloseDate(LocalDate.of(2029, 12, 31)).apply());
        b.add(open("handed-out", M1, "300.00", "2026-06-20").edit(at("2026-05-02"), M1).owner(M3).apply());
        b.add(open("out-and-away", M1, "410.00", "2026-06-20").edit(at("2026-05-02"), M1).owner(M3)
                .expectedCloseDate(LocalDate.of(2026, 7, 1)).apply());
        b.add(open("new", M2, "400.00", "2026-06-25").toBuilder().createdAt(at("2026-05-05"))
                .transitions(List.of(new StageTransition(null, SalesProcesses.QUALIFICATION, at("2026-05-05"), M2)))
                .build());
        Opportunity wonEarly = closed(open("reopened", M1, "250.00", "2026-03-10"), SalesProcess.WON, "2026-03-10");
        b.add(wonEarly.toBuilder().stage(SalesProcesses.QUALIFICATION).closeInfo(null).addTransition(
                new StageTransition(SalesProcess.WON, SalesProcesses.QUALIFICATION, at("2026-05-15"), M1)).build()
                .edit(at("2026-05-15"), M1).expectedCloseDate(LocalDate.of(2026, 6, 28)).apply());
        b.add(open("moved-in", M1, "600.00", "2026-08-15").edit(at("2026-05-03"), M1)
                .expectedCloseDate(LocalDate.of(2026, 6, 10)).apply());
        b.add(open("handed-in", M3, "800.00", "2026-06-20").edit(at("2026-05-04"), M3).owner(M2).apply());
        b.add(open("grew", M1, "100.00", "2026-05-20").edit(at("2026-05-06"), M1).amount(Amounts.of("150.00", "EUR"))
                .expectedCloseDate(LocalDate.of(2026, 6, 20)).apply());
        b.add(open("shrank", M2, "900.00", "2026-06-20").edit(at("2026-05-06"), M2).amount(Amounts.of("600.00", "EUR"))
                .apply());
        b.add(open("pushed", M1, "200.00", "2026-05-10").edit(at("2026-05-07"), M1)
                .expectedCloseDate(LocalDate.of(2026, 6, 5)).apply());
        b.add(open("pulled", M1, "220.00", "2026-06-25").edit(at("2026-05-07"), M1)
                .expectedCloseDate(LocalDate.of(2026, 6, 1)).apply());
        b.add(moved(open("forward", M2, "130.00", "2026-06-20"), SalesProcesses.KEY_CONTACTS, "2026-05-07"));
        Opportunity atKeyContacts = moved(open("backward", M2, "140.00", "2026-06-20"), SalesProcesses.KEY_CONTACTS,
                "2026-03-01");
        b.add(moved(atKeyContacts, SalesProcesses.QUALIFICATION, "2026-05-08"));
        b.add(open("committed", M1, "150.00", "2026-06-20").edit(at("2026-05-08"), M1)
                .forecastCategory(ForecastCategory.COMMIT).apply());
        b.add(open("same", M2, "350.00", "2026-06-20"));
        b.add(open("outsider", M3, "999.00", "2026-06-20"));
        b.add(open("later", M1, "5000.00", "2026-09-20"));
        return b;
    }

    @Test
    void everyStepOfTheTeamAsComputedByHandAndTheStepsSumToTheChange() {
        PipelineWaterfall w = PipelineChanges.between(ENGINE, book(), FROM, TO).waterfall(ORG, TEAM, Q1);
        assertThat(w.openingCount()).isEqualTo(13);
        assertThat(w.opening()).isEqualByComparingTo("5100.00");
        assertThat(w.closingCount()).isEqualTo(12);
        assertThat(w.closing()).isEqualByComparingTo("3990.00");
        Map<PipelineStep, String> deltas = new java.util.EnumMap<>(PipelineStep.class);
        deltas.put(PipelineStep.WON, "-1000");
        deltas.put(PipelineStep.LOST, "-500");
        deltas.put(PipelineStep.MOVED_OUT, "-1110");
        deltas.put(PipelineStep.REASSIGNED_OUT, "-300");
        deltas.put(PipelineStep.NEW, "400");
        deltas.put(PipelineStep.REOPENED, "250");
        deltas.put(PipelineStep.MOVED_IN, "600");
        deltas.put(PipelineStep.REASSIGNED_IN, "800");
        deltas.put(PipelineStep.AMOUNT_UP, "50");
        deltas.put(PipelineStep.AMOUNT_DOWN, "-300");
        for (PipelineStep s : PipelineStep.values()) {
            assertThat(w.step(s).delta()).as(s.name()).isEqualByComparingTo(deltas.getOrDefault(s, "0"));
        }
        assertThat(w.ids(PipelineStep.MOVED_OUT)).extracting(id -> id.value()).containsExactly("out-and-away",
                "pushed-out");
        assertThat(w.ids(PipelineStep.PUSHED)).extracting(id -> id.value()).containsExactly("pushed");
        assertThat(w.ids(PipelineStep.PULLED)).extracting(id -> id.value()).containsExactly("pulled");
        assertThat(w.ids(PipelineStep.STAGE_FORWARD)).extracting(id -> id.value()).containsExactly("forward");
        assertThat(w.ids(PipelineStep.STAGE_BACKWARD)).extracting(id -> id.value()).containsExactly("backward");
        assertThat(w.ids(PipelineStep.CATEGORY_UP)).extracting(id -> id.value()).containsExactly("committed");
        assertThat(w.ids(PipelineStep.UNCHANGED)).extracting(id -> id.value()).containsExactly("same");
        assertThat(w.step(PipelineStep.CATEGORY_DOWN).count()).isZero();
        assertThat(w.deals()).extracting(d -> d.id().value()).doesNotContain("outsider", "later");
        assertThat(w.incompleteHistory()).isZero();
    }

    @Test
    void precedencePicksOnePrimaryStepAndKeepsTheOthersAsKinds() {
        PipelineWaterfall w = PipelineChanges.between(ENGINE, book(), FROM, TO).waterfall(ORG, TEAM, Q1);
        PipelineChange outAndAway = w.deals(PipelineStep.MOVED_OUT).get(0);
        assertThat(outAndAway.kinds()).containsExactlyInAnyOrder(PipelineStep.MOVED_OUT, PipelineStep.REASSIGNED_OUT);
        assertThat(outAndAway.closingOwner()).isEqualTo(M3);
        assertThat(outAndAway.openingOwner()).contains(M1);
        PipelineChange grew = w.deals(PipelineStep.AMOUNT_UP).get(0);
        assertThat(grew.kinds()).containsExactlyInAnyOrder(PipelineStep.AMOUNT_UP, PipelineStep.PUSHED);
        assertThat(grew.delta()).isEqualByComparingTo("50");
        assertThat(w.dealsWith(PipelineStep.PUSHED)).extracting(d -> d.id().value()).containsExactlyInAnyOrder(
                "grew", "pushed");
    }

    @Test
    void aHandOverInsideTheCompanyIsNoChangeOfTheCompanysPipeline() {
        PipelineChanges changes = PipelineChanges.between(ENGINE, book(), FROM, TO);
        Map<org.crmkit.core.OrgNodeId, PipelineWaterfall> all = changes.waterfalls(ORG, List.of(COMPANY, TEAM, M3), Q1);
        PipelineWaterfall company = all.get(COMPANY);
        assertThat(company.ids(PipelineStep.UNCHANGED)).extracting(id -> id.value()).contains("handed-out",
                "handed-in", "outsider", "same");
        assertThat(company.step(PipelineStep.REASSIGNED_OUT).count()).isZero();
        PipelineWaterfall m3 = all.get(M3);
        assertThat(m3.ids(PipelineStep.REASSIGNED_IN)).extracting(id -> id.value()).containsExactly("handed-out");
        assertThat(m3.ids(PipelineStep.REASSIGNED_OUT)).extracting(id -> id.value()).containsExactly("handed-in");
        BigDecimal sum = company.opening();
        for (PipelineWaterfall.Step s : company.steps()) {
            sum = sum.add(s.delta());
        }
        assertThat(sum).isEqualByComparingTo(company.closing());
    }

    @Test
    void theReadmeSnippetRunsAsWritten() {
        ForecastEngine engine = ENGINE;
        List<Opportunity> opportunities = book();
        OrgStructure org = ORG;
        Period quarter = Q1;
        Opportunity opp = open("pushed", M1, "200.00", "2026-05-10");
        // as in README.md, "What changed"
        Opportunity pushed = opp.edit(Instant.parse("2026-05-07T09:00:00Z"), ManagerId.of("m1"))
                .expectedCloseDate(LocalDate.of(2026, 6, 5)).apply();
        Opportunity before = pushed.asOf(Instant.parse("2026-05-01T00:00:00Z")).orElseThrow();
        ForecastSnapshot onApril1 = engine.snapshotAt(opportunities, Instant.parse("2026-04-01T09:00:00Z"));
        PipelineWaterfall w = PipelineChanges.between(engine, opportunities, Instant.parse("2026-04-01T09:00:00Z"),
                Instant.parse("2026-06-15T09:00:00Z")).waterfall(org, UnitId.of("team"), quarter);
        List<OpportunityId> pushedOut = w.ids(PipelineStep.MOVED_OUT);

        assertThat(pushed).isEqualTo(opportunities.stream().filter(o -> o.id().equals(opp.id())).findFirst()
                .orElseThrow());
        assertThat(before.expectedCloseDate()).isEqualTo(LocalDate.of(2026, 5, 10));
        assertThat(onApril1.asOf()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(w.steps()).hasSize(PipelineStep.values().length);
        assertThat(pushedOut).containsExactly(OpportunityId.of("out-and-away"), OpportunityId.of("pushed-out"));
    }
}
