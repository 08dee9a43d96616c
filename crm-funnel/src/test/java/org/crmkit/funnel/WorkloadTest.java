package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
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
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    static final SalesProcess P = SalesProcesses.corporateSales();
    static final FiscalCalendar CAL = FiscalCalendar.calendarYear(ZoneOffset.UTC);
    static final Instant AS_OF = Instant.parse("2026-06-30T12:00:00Z");

    static Opportunity.Builder deal(String id, String owner, String created) {
        return Opportunity.builder().id(id).title(id).client(ClientRef.account("c", "C")).owner(ManagerId.of(owner))
                .processId(P.id()).currency("EUR").amount(Amounts.of("100", "EUR"))
                .createdAt(Instant.parse(created)).expectedCloseDate(LocalDate.of(2026, 12, 1)).probability(10);
    }

    static HistoryEntry entry(String id, HistoryKind kind, String at, String author) {
        return new HistoryEntry(id, kind, Instant.parse(at), ManagerId.of(author), "s", "");
    }

    @Test
    void openIdleLoggedAndHoursPerManagerBesideTheUnitsAverageAndMedian() {
        OrgStructure org = OrgStructure.builder().unit(UnitId.of("team"), "Team", UnitKind.GROUP).manager(ManagerId.of("ann"), "Ann")
                .manager(ManagerId.of("bob"), "Bob").manager(ManagerId.of("cid"), "Cid").member(ManagerId.of("ann"), UnitId.of("team")).member(ManagerId.of("bob"), UnitId.of("team"))
                .member(ManagerId.of("cid"), UnitId.of("team")).build();
        String q = SalesProcesses.QUALIFICATION;
        String k = SalesProcesses.KEY_CONTACTS;
        // ann: one deal touched yesterday (not idle), one untouched since April (idle), one won in June with hours
        Opportunity a1 = deal("a1", "ann", "2026-06-01T09:00:00Z").stage(q)
                .addHistory(entry("h1", HistoryKind.ACTIVITY, "2026-06-29T09:00:00Z", "ann"))
                .addHistory(entry("h2", HistoryKind.EMAIL, "2026-06-10T09:00:00Z", "ann")).build();
        Opportunity a2 = deal("a2", "ann", "2026-04-01T09:00:00Z").stage(k)
                .transitions(List.of(new StageTransition(null, q, Instant.parse("2026-04-01T09:00:00Z"),
                        ManagerId.of("ann")), new StageTransition(q, k, Instant.parse("2026-04-02T09:00:00Z"),
                        ManagerId.of("ann")))).build();
        Opportunity a3 = deal("a3", "ann", "2026-05-01T09:00:00Z").stage(SalesProcess.WON).probability(100)
                .transitions(List.of(new StageTransition(null, q, Instant.parse("2026-05-01T09:00:00Z"),
                        ManagerId.of("ann")), new StageTransition(q, SalesProcess.WON,
                        Instant.parse("2026-06-05T09:00:00Z"), ManagerId.of("ann"))))
                .closeInfo(CloseInfo.won(LocalDate.of(2026, 6, 5), Amounts.of("100", "EUR"), null)
                        .withHoursSpent(new BigDecimal("12.5")))
                // bob logged an activity on ann's deal: it counts for bob, who did it
                .addHistory(entry("h3", HistoryKind.ACTIVITY, "2026-06-03T09:00:00Z", "bob")).build();
        // bob: one open deal, lost one in June without hours; a deal created after the as-of instant is not open
        Opportunity b1 = deal("b1", "bob", "2026-06-20T09:00:00Z").stage(q).build();
        Opportunity b2 = deal("b2", "bob", "2026-06-01T09:00:00Z").stage(SalesProcess.LOST).probability(0)
                .transitions(List.of(new StageTransition(null, q, Instant.parse("2026-06-01T09:00:00Z"),
                        ManagerId.of("bob")), new StageTransition(q, SalesProcess.LOST,
                        Instant.parse("2026-06-02T09:00:00Z"), ManagerId.of("bob"))))
                .closeInfo(CloseInfo.lost(LocalDate.of(2026, 6, 2), null, null)).build();
        Opportunity b3 = deal("b3", "bob", "2026-07-02T09:00:00Z").stage(q).build();
        Period june = CAL.periodOf(PeriodType.MONTH, LocalDate.of(2026, 6, 1));
        Map<OrgNodeId, Workload> w = Workload.of(org, CAL, P, List.of(a1, a2, a3, b1, b2, b3),
                List.of(UnitId.of("team"), ManagerId.of("ann")), june, AS_OF, 30);
        Workload team = w.get(UnitId.of("team"));
        assertThat(team.managers()).extracting(ManagerWorkload::key)
                .containsExactly("manager:ann", "manager:bob", "manager:cid");
        ManagerWorkload ann = team.managers().get(0);
        assertThat(ann.openDeals()).isEqualTo(2);
        assertThat(ann.openByStage()).containsExactly(1L, 1L, 0L, 0L, 0L);
        assertThat(ann.idleDeals()).isEqualTo(1);
        assertThat(ann.historyEntries()).isEqualTo(2);
        assertThat(ann.activities()).isEqualTo(1);
        assertThat(ann.closedInPeriod()).isEqualTo(1);
        assertThat(ann.hoursOnClosed()).isEqualByComparingTo("12.5");
        ManagerWorkload bob = team.managers().get(1);
        assertThat(bob.openDeals()).isEqualTo(1);
        assertThat(bob.activities()).isEqualTo(1);
        assertThat(bob.closedWithoutHours()).isEqualTo(1);
        // open deals per member: 2, 1, 0 -> average 1, median 1
        assertThat(team.averageOpenDeals()).isEqualTo(1.0);
        assertThat(team.medianOpenDeals()).isEqualTo(1.0);
        assertThat(ann.openDealsToAverage()).isEqualTo(2.0);
        assertThat(team.managers().get(2).openDealsToAverage()).isEqualTo(0.0);
        assertThat(team.total().openDeals()).isEqualTo(3);
        assertThat(team.total().historyEntries()).isEqualTo(3);
        assertThat(team.total().hoursOnClosed()).isEqualByComparingTo("12.5");
        assertThat(w.get(ManagerId.of("ann")).total().openDeals()).isEqualTo(2);
    }
}
