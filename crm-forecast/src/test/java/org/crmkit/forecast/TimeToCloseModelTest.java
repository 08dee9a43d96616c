package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

/**
 * The measured timing model on a history small enough to compute by hand (UTC, day 0 =
 * 2026-01-01, as of day 45 = 2026-02-15). Five deals entered Qualification on day 0 or 40:
 * A won after 10 days, B lost after 10, C still open after 5 (censored), D won after 40,
 * E lost after 3. Aalen–Johansen: day 3 lost 1/5 (S = 0.8); day 10 at risk 3, won and lost
 * 0.8/3 each (S = 0.8/3); day 40 at risk 1, won 0.8/3. So P(won) = 8/15, P(lost) = 7/15 —
 * not the 2/4 a share of closed deals would say.
 */
class TimeToCloseModelTest {
    static final SalesProcess PROCESS = SalesProcesses.corporateSales();
    static final String Q = SalesProcesses.QUALIFICATION;
    static final LocalDate DAY0 = LocalDate.of(2026, 1, 1);
    static final Instant AS_OF = at(45);
    static final FiscalCalendar CAL = FiscalCalendar.of(Month.JANUARY, ZoneOffset.UTC);

    static Instant at(int day) {
        return DAY0.plusDays(day).atTime(10, 0).toInstant(ZoneOffset.UTC);
    }

    static Opportunity deal(String id, String owner, int created, String outcome, int closedOn, String amount) {
        Opportunity.Builder b = Opportunity.builder().id(id).title("Deal " + id)
                .client(ClientRef.account("c-" + id, "Client " + id)).owner(ManagerId.of(owner))
                .processId(PROCESS.id()).currency("EUR").createdAt(at(created))
                .amount(Amounts.of(amount, "EUR")).expectedCloseDate(DAY0.plusDays(created + 30));
        List<StageTransition> ts = new ArrayList<>();
        ts.add(new StageTransition(null, Q, at(created), ManagerId.of(owner)));
        if (outcome == null) {
            return b.stage(Q).probability(10).transitions(ts).build();
        }
        ts.add(new StageTransition(Q, outcome, at(closedOn), ManagerId.of(owner)));
        LocalDate close = DAY0.plusDays(closedOn);
        return b.stage(outcome).probability(outcome.equals(SalesProcess.WON) ? 100 : 0).transitions(ts)
                .closeInfo(outcome.equals(SalesProcess.WON) ? CloseInfo.won(close, Amounts.of(amount, "EUR"), null)
                        : CloseInfo.lost(close, null, null))
                .build();
    }

    static List<Opportunity> history() {
        return List.of(deal("A", "ann", 0, SalesProcess.WON, 10, "100.00"),
                deal("B", "ann", 0, SalesProcess.LOST, 10, "100.00"),
                deal("C", "bob", 40, null, 0, "100.00"),
                deal("D", "bob", 0, SalesProcess.WON, 40, "100.00"),
                deal("E", "bob", 0, SalesProcess.LOST, 3, "100.00"));
    }

    static TimeToCloseModel model(List<Opportunity> opps) {
        return TimeToCloseModel.fit(ZoneOffset.UTC, AS_OF, List.of(PROCESS), opps);
    }

    @Test
    void competingOutcomesAreEstimatedByCumulativeIncidenceWithCensoring() {
        StageTiming q = model(history()).timings(PROCESS.id()).get(0);
        assertThat(q.stage()).isEqualTo(Q);
        assertThat(q.pool()).isEqualTo("process");
        assertThat(q.episodes()).isEqualTo(5);
        assertThat(q.won()).isEqualTo(2);
        assertThat(q.lost()).isEqualTo(2);
        assertThat(q.censored()).isEqualTo(1);
        assertThat(q.winProbability()).isCloseTo(8.0 / 15, within(1e-12));
        assertThat(q.lossProbability()).isCloseTo(7.0 / 15, within(1e-12));
        assertThat(q.unresolved()).isCloseTo(0.0, within(1e-12));
        // half of the 8/15 is reached on day 10, 90 % on day 40
        assertThat(q.medianDaysToWin()).isEqualTo(10);
        assertThat(q.p90DaysToWin()).isEqualTo(40);
        assertThat(q.medianDaysToLoss()).isEqualTo(10);
        assertThat(q.winWithin30Days()).isCloseTo(4.0 / 15, within(1e-12));
        assertThat(q.horizonDays()).isEqualTo(40);
        // a stage nobody entered has no data
        assertThat(model(history()).timings(PROCESS.id()).get(4).episodes()).isZero();
    }

    @Test
    void historyAfterTheAsOfInstantIsNotRead() {
        // as of day 8: A and B are still open (censored at 8), D is open, C does not exist yet
        TimeToCloseModel early = TimeToCloseModel.fit(ZoneOffset.UTC, at(8), List.of(PROCESS), history());
        StageTiming q = early.timings(PROCESS.id()).get(0);
        assertThat(q.episodes()).isEqualTo(4);
        assertThat(q.lost()).isEqualTo(1);
        assertThat(q.won()).isZero();
        assertThat(q.censored()).isEqualTo(3);
        assertThat(q.lossProbability()).isCloseTo(0.25, within(1e-12));
        assertThat(q.unresolved()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void anOpenDealIsPlacedInMonthsByItsAgeInTheStageNotByItsCloseDate() {
        List<Opportunity> opps = new ArrayList<>(history());
        // F entered Qualification on day 43 (2026-02-13): 2 days old as of day 45, so day 3's loss is still ahead.
        // Expected to close on 2026-06-30 by its manager; the model says: won on day 10 after entry
        // (2026-02-23) or on day 40 (2026-03-25), each with probability (0.8/3) / S(1) = 4/15.
        Opportunity f = deal("F", "ann", 43, null, 0, "1000.00").toBuilder()
                .expectedCloseDate(LocalDate.of(2026, 6, 30)).build();
        opps.add(f);
        TimeToCloseModel m = model(opps);
        ForecastEngine engine = ForecastEngine.builder(ForecastConfig.builder(CAL, Amounts.currency("EUR")).build())
                .processes(PROCESS).build();
        TimingForecast tf = engine.timingForecast(m, List.of(f), 6);
        OrgStructure org = OrgStructure.builder().unit(UnitId.of("co"), "Co", UnitKind.COMPANY).manager(ManagerId.of("ann"), "Ann")
                .manager(ManagerId.of("bob"), "Bob").member(ManagerId.of("ann"), UnitId.of("co")).member(ManagerId.of("bob"), UnitId.of("co")).build();
        MeasuredForecast company = tf.forecast(org, org.roots().get(0));
        assertThat(company.openDeals()).isEqualTo(1);
        assertThat(company.months()).hasSize(6);
        assertThat(company.months().get(0).month().start()).isEqualTo(LocalDate.of(2026, 2, 1));
        // 4/15 rounded to a millionth once: 0.266667; 1000.00 EUR x 0.266667 exactly
        assertThat(company.months().get(0).expectedWins()).isEqualByComparingTo("0.266667");
        assertThat(company.months().get(0).expectedRevenue()).isEqualByComparingTo("266.667");
        assertThat(company.months().get(1).expectedRevenue()).isEqualByComparingTo("266.667");
        assertThat(company.months().get(2).expectedRevenue()).isEqualByComparingTo("0");
        assertThat(company.months().get(5).expectedRevenue()).isEqualByComparingTo("0");
        assertThat(company.expectedRevenueLater()).isEqualByComparingTo("0");
        assertThat(company.unresolvedRevenue()).isEqualByComparingTo("0");
        // as a probability model: won among the remaining outcomes, 8/15
        assertThat(m.probabilityBasisPoints(f, PROCESS)).isEqualTo(5333);
        // the managers partition the company exactly
        BigDecimal ann = tf.forecast(org, ManagerId.of("ann")).months().get(0).expectedRevenue();
        BigDecimal bob = tf.forecast(org, ManagerId.of("bob")).months().get(0).expectedRevenue();
        assertThat(ann.add(bob)).isEqualByComparingTo(company.months().get(0).expectedRevenue());
    }

    @Test
    void aDealOlderThanEveryObservedEpisodeIsUnresolvedAndAStageWithoutHistoryIsUnmodelled() {
        List<Opportunity> opps = new ArrayList<>(history());
        Opportunity old = deal("G", "bob", -30, null, 0, "500.00"); // 75 days in Qualification: beyond day 40
        Opportunity closing = deal("H", "bob", 44, null, 0, "700.00").toBuilder().stage(SalesProcesses.CLOSING)
                .transitions(List.of(new StageTransition(null, Q, at(44), ManagerId.of("bob")),
                        new StageTransition(Q, SalesProcesses.CLOSING, at(44).plusSeconds(60), ManagerId.of("bob"))))
                .build();
        opps.add(old);
        opps.add(closing);
        TimeToCloseModel m = model(opps);
        ForecastEngine engine = ForecastEngine.builder(ForecastConfig.builder(CAL, Amounts.currency("EUR")).build())
                .processes(PROCESS).build();
        MeasuredForecast f = engine.timingForecast(m, List.of(old, closing), 3)
                .forecastOf(ManagerId.of("bob"), java.util.Set.of(ManagerId.of("bob")));
        assertThat(f.openDeals()).isEqualTo(2);
        assertThat(f.unresolvedRevenue()).isEqualByComparingTo("500.00");
        assertThat(f.unmodelledDeals()).isEqualTo(1);
        assertThat(f.unmodelledAmount()).isEqualByComparingTo("700.00");
        assertThat(f.months()).allSatisfy(x -> assertThat(x.expectedRevenue()).isEqualByComparingTo("0"));
        // the probability model falls back to the stage default where it cannot model
        assertThat(m.probabilityBasisPoints(closing, PROCESS))
                .isEqualTo(PROCESS.stage(SalesProcesses.CLOSING).defaultProbability() * 100);
    }

    @Test
    void aManagersOwnHistoryIsUsedOnlyWithEnoughClosedEpisodes() {
        TimeToCloseModel two = TimeToCloseModel.builder(ZoneOffset.UTC, AS_OF, List.of(PROCESS)).byManager()
                .minClosed(2).addAll(history()).build();
        // ann: A won, B lost -> 2 closed: her own pool; bob: D won, E lost -> 2 closed as well
        StageTiming ann = two.timing(PROCESS.id(), Q, ManagerId.of("ann"));
        assertThat(ann.pool()).isEqualTo("manager:ann");
        assertThat(ann.winProbability()).isCloseTo(0.5, within(1e-12));
        TimeToCloseModel three = TimeToCloseModel.builder(ZoneOffset.UTC, AS_OF, List.of(PROCESS)).byManager()
                .minClosed(3).addAll(history()).build();
        assertThat(three.timing(PROCESS.id(), Q, ManagerId.of("ann")).pool()).isEqualTo("process");
        // an owner without any history uses the process pool
        assertThat(three.timing(PROCESS.id(), Q, ManagerId.of("nobody")).winProbability())
                .isCloseTo(8.0 / 15, within(1e-12));
    }

    @Test
    void aUnitPoolIsTriedBeforeTheProcess() {
        OrgStructure org = OrgStructure.builder().unit(UnitId.of("co"), "Co", UnitKind.COMPANY)
                .unit(UnitId.of("g1"), "G1", UnitKind.GROUP).unit(UnitId.of("g2"), "G2", UnitKind.GROUP).link(UnitId.of("g1"), UnitId.of("co")).link(UnitId.of("g2"), UnitId.of("co"))
                .manager(ManagerId.of("ann"), "Ann").manager(ManagerId.of("bob"), "Bob").manager(ManagerId.of("cid"), "Cid")
                .member(ManagerId.of("ann"), UnitId.of("g1")).member(ManagerId.of("cid"), UnitId.of("g1")).member(ManagerId.of("bob"), UnitId.of("g2")).build();
        TimeToCloseModel m = TimeToCloseModel.builder(ZoneOffset.UTC, AS_OF, List.of(PROCESS)).byManager()
                .byUnits(org, List.of(UnitId.of("g1"))).minClosed(2).addAll(history())
                .build();
        assertThat(m.timing(PROCESS.id(), Q, ManagerId.of("cid")).pool()).isEqualTo("unit:g1");
        assertThat(m.timing(PROCESS.id(), Q, ManagerId.of("cid")).winProbability()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aDealStuckAtItsStageLongerThanAnyWinnerSatThereIsNotPlacedButAFreshOneIs() {
        // 30 winners leave Qualification after 2 days and are won on day 50; 30 deals sit in
        // Qualification from day 0 on and never close. As of day 60:
        Instant asOf = at(60);
        String k = SalesProcesses.KEY_CONTACTS;
        List<Opportunity> opps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ManagerId o = ManagerId.of("ann");
            opps.add(deal("w" + i, "ann", 0, null, 0, "100.00").toBuilder().stage(SalesProcess.WON).probability(100)
                    .transitions(List.of(new StageTransition(null, Q, at(0), o), new StageTransition(Q, k, at(2), o),
                            new StageTransition(k, SalesProcess.WON, at(50), o)))
                    .closeInfo(CloseInfo.won(DAY0.plusDays(50), Amounts.of("100.00", "EUR"), null)).build());
            opps.add(deal("s" + i, "ann", 0, null, 0, "100.00"));
        }
        Opportunity stuck = deal("X", "ann", 20, null, 0, "1000.00"); // 40 days in Qualification
        Opportunity fresh = deal("Z", "ann", 59, null, 0, "1000.00"); // 1 day in Qualification
        opps.add(stuck);
        opps.add(fresh);
        TimeToCloseModel m = TimeToCloseModel.fit(ZoneOffset.UTC, asOf, List.of(PROCESS), opps);
        ForecastEngine engine = ForecastEngine.builder(ForecastConfig.builder(CAL, Amounts.currency("EUR")).build())
                .processes(PROCESS).build();
        java.util.Set<ManagerId> ann = java.util.Set.of(ManagerId.of("ann"));
        MeasuredForecast x = engine.timingForecast(m, List.of(stuck), 6).forecastOf(ManagerId.of("ann"), ann);
        // without landmarks the winners' long episodes (still open at day 40) would place it around day 50
        assertThat(x.months()).allSatisfy(mo -> assertThat(mo.expectedRevenue()).isEqualByComparingTo("0"));
        assertThat(x.unresolvedRevenue()).isEqualByComparingTo("1000.00");
        MeasuredForecast z = engine.timingForecast(m, List.of(fresh), 6).forecastOf(ManagerId.of("ann"), ann);
        BigDecimal placed = z.months().stream().map(ExpectedMonth::expectedRevenue).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertThat(placed).isPositive();
        // 50 days after its entry on day 59 is day 109 = 2026-04-20
        assertThat(z.month(CAL.periodOf(org.crmkit.core.PeriodType.MONTH, LocalDate.of(2026, 4, 1))).orElseThrow()
                .expectedRevenue()).isEqualByComparingTo(placed);
    }

    @Test
    void aJourneyValueFeedsTheModelLikeItsOpportunity() {
        TimeToCloseModel.Builder b = TimeToCloseModel.builder(ZoneOffset.UTC, AS_OF, List.of(PROCESS));
        for (Opportunity o : history()) {
            b.add(new StageJourney(OpportunityId.of(o.id().value()), o.owner(), o.processId(), o.transitions()));
        }
        assertThat(b.build().timings(PROCESS.id())).isEqualTo(model(history()).timings(PROCESS.id()));
    }
}
