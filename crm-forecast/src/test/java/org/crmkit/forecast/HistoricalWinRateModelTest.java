package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.OpportunityColumns;
import org.junit.jupiter.api.Test;

class HistoricalWinRateModelTest {
    private static final String Q = SalesProcesses.QUALIFICATION;
    private static final String KC = SalesProcesses.KEY_CONTACTS;
    private static final String PP = SalesProcesses.PROPOSAL_PREPARATION;
    private static final String PR = SalesProcesses.PROPOSAL_PRESENTATION;
    private static final String CL = SalesProcesses.CLOSING;
    private static final Period WINDOW = Period.inclusive(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));
    private static final OrgStructure ORG = OrgStructure.builder().manager(ManagerId.of("m1"), "Ann").build();

    private static Instant at(String day) {
        return LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    /** A deal created on {@code created} that went through {@code stages} (dates a week apart). */
    private static Opportunity history(String id, String created, String... stages) {
        Instant t = at(created);
        List<StageTransition> transitions = new ArrayList<>();
        transitions.add(new StageTransition(null, Q, t, ManagerId.of("m1")));
        String current = Q;
        for (String s : stages) {
            t = t.plusSeconds(7 * 86_400);
            transitions.add(new StageTransition(current, s, t, ManagerId.of("m1")));
            current = s;
        }
        LocalDate last = LocalDate.ofInstant(t, ZoneOffset.UTC);
        CloseInfo close = SalesProcess.WON.equals(current) ? CloseInfo.won(last, Amounts.of("100.00", "EUR"), "fit")
                : SalesProcess.LOST.equals(current) ? CloseInfo.lost(last, "price", null) : null;
        return Deals.base(id, "m1", "EUR").createdAt(at(created)).stage(current).probability(10)
                .amount(Amounts.of("100.00", "EUR")).expectedCloseDate(last.plusDays(30)).transitions(transitions)
                .closeInfo(close).build();
    }

    @Test
    void ratesMeasuredByTheFunnelAreWonOverClosedAmongThoseThatReachedTheStage() {
        List<Opportunity> past = List.of(
                history("h1", "2025-02-01", PP, SalesProcess.WON),
                history("h2", "2025-03-01", KC, SalesProcess.LOST),
                history("h3", "2025-04-01", PP, PR, SalesProcess.LOST),
                history("h4", "2025-05-01", CL, SalesProcess.WON),
                history("h5", "2025-06-01"),
                history("h6", "2024-06-01", SalesProcess.WON));
        FunnelEngine funnel = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(past.stream()))
                .calendar(Deals.APRIL).clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build();
        HistoricalWinRateModel model = HistoricalWinRateModel.measure(funnel, Deals.PROCESS,
                List.of(ManagerId.of("m1")), WINDOW, Amounts.currency("EUR"));
        // LINEAR: a skipped stage counts as passed, a won deal reached every open stage.
        assertThat(model.rateBasisPoints(Deals.PROCESS.id(), Q)).contains(5000);
        assertThat(model.rateBasisPoints(Deals.PROCESS.id(), KC)).contains(5000);
        assertThat(model.rateBasisPoints(Deals.PROCESS.id(), PP)).contains(6667);
        assertThat(model.rateBasisPoints(Deals.PROCESS.id(), PR)).contains(6667);
        assertThat(model.rateBasisPoints(Deals.PROCESS.id(), CL)).contains(10000);
        assertThat(model.window()).contains("COHORT").contains("LINEAR");

        ForecastEngine engine = ForecastEngine.builder(Deals.config().build()).processes(Deals.PROCESS)
                .probabilityModel(model).build();
        ForecastSnapshot s = engine.snapshot(List.of(Deals.open("n", "m1", PP, 5, "300.00", "EUR",
                LocalDate.of(2026, 8, 1))), LocalDate.of(2026, 6, 15));
        assertThat(s.lines().get(0).probabilityBasisPoints()).isEqualTo(6667);
        assertThat(s.lines().get(0).expected()).isEqualByComparingTo("200.01");
        assertThat(s.forecast().model()).startsWith("historical-win-rate");
    }

    @Test
    void stageWithoutClosedHistoryFallsBackToTheStageDefault() {
        FunnelEngine funnel = FunnelEngine.builder().org(ORG)
                .source(OpportunityColumns.of(Stream.of(history("h5", "2025-06-01"))))
                .calendar(Deals.APRIL).clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build();
        HistoricalWinRateModel model = HistoricalWinRateModel.measure(funnel, Deals.PROCESS,
                List.of(ManagerId.of("m1")), WINDOW, Amounts.currency("EUR"));
        assertThat(model.rateBasisPoints(Deals.PROCESS.id(), PP)).isEmpty();
        assertThat(model.probabilityBasisPoints(Deals.open("n", "m1", PP, 5, "300.00", "EUR",
                LocalDate.of(2026, 8, 1)), Deals.PROCESS)).isEqualTo(4000);
    }
}
