package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed slips. S1 (m1, due 30 June): pushed to 15 July on 1 April (+15), pulled to
 * 10 July on 1 May (−5), handed to m2 on 10 May, pushed to 9 August on 1 June (+30). S2 (m2, due
 * 31 May): pushed to 30 June on 5 April (+30). S3 (m1): never moved. S4 (m3, due 31 May, history
 * from 20 April): pushed to 10 June on 25 April (+10).
 */
class CloseDateSlipTest {
    private static final ManagerId M1 = ManagerId.of("m1");
    private static final ManagerId M2 = ManagerId.of("m2");
    private static final ManagerId M3 = ManagerId.of("m3");
    private static final UnitId TEAM = UnitId.of("team");
    private static final UnitId COMPANY = UnitId.of("company");
    private static final OrgStructure ORG = OrgStructure.builder().unit(COMPANY, "Company", UnitKind.DEPARTMENT)
            .unit(TEAM, "Team", UnitKind.GROUP).link(TEAM, COMPANY)
            .manager(M1, "Ann").manager(M2, "Bob").manager(M3, "Cy")
            .member(M1, TEAM).member(M1, COMPANY).member(M2, TEAM).member(M3, COMPANY).build();

    private static Instant at(String day) {
        return LocalDate.parse(day).atTime(9, 0).toInstant(ZoneOffset.UTC);
    }

    private static Opportunity open(String id, ManagerId owner, String close) {
        return Deals.open(id, owner.value(), SalesProcesses.QUALIFICATION, 10, "100.00", "EUR", LocalDate.parse(close));
    }

    private static Opportunity closeOn(Opportunity o, String day, String close, ManagerId by) {
        return o.edit(at(day), by).expectedCloseDate(LocalDate.parse(close)).apply();
    }

    static List<Opportunity> book() {
        Opportunity s1 = closeOn(closeOn(open("S1", M1, "2026-06-30"), "2026-04-01", "2026-07-15", M1), "2026-05-01",
                "2026-07-10", M1).edit(at("2026-05-10"), M1).owner(M2).apply();
        s1 = closeOn(s1, "2026-06-01", "2026-08-09", M2);
        Opportunity s2 = closeOn(open("S2", M2, "2026-05-31"), "2026-04-05", "2026-06-30", M2);
        Opportunity s4 = closeOn(open("S4", M3, "2026-05-31").toBuilder()
                .changes(List.of(FieldChange.historyStart(at("2026-04-20"), M3))).build(), "2026-04-25", "2026-06-10",
                M3);
        return List.of(s1, s2, open("S3", M1, "2026-06-30"), s4);
    }

    @Test
    void eachDealCountsItsPushesPullsAndTheDaysOfEach() {
        CloseDateSlip slip = CloseDateSlip.of(book(), null, null);
        assertThat(slip.deals()).extracting(d -> d.id().value()).containsExactly("S1", "S2", "S4");
        CloseDateSlip.DealSlip s1 = slip.deal(OpportunityId.of("S1")).orElseThrow();
        assertThat(s1.owner()).isEqualTo(M2);
        assertThat(s1.pushes()).isEqualTo(2);
        assertThat(s1.pulls()).isEqualTo(1);
        assertThat(s1.daysPushed()).isEqualTo(45);
        assertThat(s1.daysPulled()).isEqualTo(5);
        assertThat(s1.netDays()).isEqualTo(40);
        assertThat(s1.incompleteHistory()).isFalse();
        assertThat(s1.moves()).extracting(CloseDateSlip.Move::days).containsExactly(15L, -5L, 30L);
        assertThat(s1.moves()).extracting(CloseDateSlip.Move::owner).containsExactly(M1, M1, M2);
        assertThat(slip.deal(OpportunityId.of("S3"))).isEmpty();
        assertThat(slip.deal(OpportunityId.of("S4")).orElseThrow().incompleteHistory()).isTrue();
    }

    @Test
    void aMoveBelongsToTheOwnerWhenItWasMade() {
        List<CloseDateSlip.NodeSlip> managers = CloseDateSlip.of(book(), null, null).managers();
        assertThat(managers).extracting(m -> m.node().value()).containsExactly("m1", "m2", "m3");
        CloseDateSlip.NodeSlip m1 = managers.get(0);
        assertThat(m1.deals()).isEqualTo(1);
        assertThat(m1.pushes()).isEqualTo(1);
        assertThat(m1.pulls()).isEqualTo(1);
        assertThat(m1.daysPushed()).isEqualTo(15);
        assertThat(m1.daysPulled()).isEqualTo(5);
        assertThat(m1.netDays()).isEqualTo(10);
        CloseDateSlip.NodeSlip m2 = managers.get(1);
        assertThat(m2.deals()).isEqualTo(2);
        assertThat(m2.pushes()).isEqualTo(2);
        assertThat(m2.daysPushed()).isEqualTo(60);
        assertThat(managers.get(2).incompleteHistory()).isEqualTo(1);
    }

    @Test
    void aUnitCountsEachMoveOfItsDistinctMembersOnce() {
        CloseDateSlip slip = CloseDateSlip.of(book(), null, null);
        CloseDateSlip.NodeSlip team = slip.rollUp(ORG, TEAM);
        assertThat(team.deals()).isEqualTo(2);
        assertThat(team.pushes()).isEqualTo(3);
        assertThat(team.daysPushed()).isEqualTo(75);
        assertThat(team.daysPulled()).isEqualTo(5);
        // m1 is reached through the team and directly
        CloseDateSlip.NodeSlip company = slip.rollUp(ORG, COMPANY);
        assertThat(company.deals()).isEqualTo(3);
        assertThat(company.pushes()).isEqualTo(4);
        assertThat(company.daysPushed()).isEqualTo(85);
        assertThat(company.netDays()).isEqualTo(80);
    }

    @Test
    void aWindowKeepsTheMovesInsideItBothEndsIncluded() {
        CloseDateSlip slip = CloseDateSlip.of(book(), at("2026-04-25"), at("2026-05-01"));
        assertThat(slip.deals()).extracting(d -> d.id().value()).containsExactly("S1", "S4");
        assertThat(slip.deal(OpportunityId.of("S1")).orElseThrow().daysPulled()).isEqualTo(5);
        assertThat(slip.deal(OpportunityId.of("S1")).orElseThrow().pushes()).isZero();
        // S4's history starts on 20 April: complete for this window, not for one from 15 April
        assertThat(slip.deal(OpportunityId.of("S4")).orElseThrow().incompleteHistory()).isFalse();
        assertThat(CloseDateSlip.of(book(), at("2026-04-15"), null).deal(OpportunityId.of("S4")).orElseThrow()
                .incompleteHistory()).isTrue();
        assertThatThrownBy(() -> CloseDateSlip.of(book(), at("2026-05-01"), at("2026-04-01")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("to");
    }
}
