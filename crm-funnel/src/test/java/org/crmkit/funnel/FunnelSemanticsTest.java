package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.funnel.Opps.CL;
import static org.crmkit.funnel.Opps.KC;
import static org.crmkit.funnel.Opps.PP;
import static org.crmkit.funnel.Opps.PR;
import static org.crmkit.funnel.Opps.Q;
import static org.crmkit.funnel.Opps.at;
import static org.crmkit.funnel.Opps.opp;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.crmkit.core.ManagerId;
import org.crmkit.core.MissingExchangeRateException;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.ExchangeRateTable;
import org.junit.jupiter.api.Test;

/** Hand-computed scenarios for every definition of DESIGN.md "Funnel semantics". */
class FunnelSemanticsTest {
    static final OrgStructure ORG = OrgStructure.builder()
            .manager(ManagerId.of("m1"), "Ann").manager(ManagerId.of("m2"), "Bob").manager(ManagerId.of("m3"), "Cid")
            .unit(UnitId.of("dept"), "Department", UnitKind.DEPARTMENT)
            .unit(UnitId.of("g1"), "Group 1", UnitKind.GROUP).unit(UnitId.of("g2"), "Group 2", UnitKind.GROUP)
            .link(UnitId.of("g1"), UnitId.of("dept")).link(UnitId.of("g2"), UnitId.of("dept"))
            .member(ManagerId.of("m1"), UnitId.of("g1")).member(ManagerId.of("m1"), UnitId.of("g2")).member(ManagerId.of("m2"), UnitId.of("g2")).member(ManagerId.of("m3"), UnitId.of("g1"))
            .build();
    static final Period Q1 = Period.inclusive(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-03-31"));
    static final Period FEB = Period.inclusive(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-28"));

    // o1: skips PROPOSAL_PREPARATION; o2: moves backward; o3: lost after stage 3; o4: won from the first stage
    static final List<org.crmkit.core.Opportunity> OPPS = List.of(
            opp("o1", "m1", "2026-01-05").probability(60).to(KC, "2026-01-10").to(PR, "2026-01-20").build(),
            opp("o2", "m1", "2026-01-06").amount("2000.00", "EUR").probability(25).to(KC, "2026-01-08")
                    .to(PP, "2026-01-18").to(PR, "2026-01-28").to(KC, "2026-02-07").build(),
            opp("o3", "m2", "2026-02-01").amount("500.00", "EUR").to(KC, "2026-02-03").to(PP, "2026-02-13")
                    .lost("2026-03-01", "price", "Acme").build(),
            opp("o4", "m2", "2026-03-01").won("2026-03-11", "3000.00").build(),
            opp("o5", "m2", "2026-04-02").build());

    static FunnelEngine engine(List<org.crmkit.core.Opportunity> opps) {
        return FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(opps.stream()))
                .clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build();
    }

    static FunnelQuery.Builder query() {
        return FunnelQuery.builder(Opps.PROCESS).nodes(UnitId.of("dept")).reportingCurrency("EUR");
    }

    @Test
    void linearCohortCountsSkippedStagesAndWonAsReachedEveryStage() {
        FunnelResult r = engine(OPPS).funnel(query().period(Q1).build());
        assertThat(r.stages()).extracting(StageFigures::reached).containsExactly(4L, 4L, 4L, 3L, 1L);
        assertThat(r.stages()).extracting(StageFigures::at).containsExactly(0L, 1L, 0L, 1L, 0L);
        assertThat(r.stages()).extracting(StageFigures::dropOff).containsExactly(0L, 0L, 1L, 0L, 0L);
        assertThat(r.stage(PR).stepConversion()).isEqualTo(0.75);
        assertThat(r.stage(CL).stepConversion()).isEqualTo(1.0 / 3);
        assertThat(r.stage(CL).cumulativeConversion()).isEqualTo(0.25);
        assertThat(r.count()).isEqualTo(4);
        assertThat(r.open()).isEqualTo(2);
        assertThat(r.won()).isEqualTo(1);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.winRate()).isEqualTo(0.5);
    }

    @Test
    void strictCohortCountsOnlyEnteredStages() {
        FunnelResult r = engine(OPPS).funnel(query().period(Q1).policy(CountingPolicy.STRICT).build());
        assertThat(r.stages()).extracting(StageFigures::reached).containsExactly(4L, 3L, 2L, 2L, 0L);
    }

    @Test
    void amountsAndWeightedAmountsPerStage() {
        FunnelResult r = engine(OPPS).funnel(query().period(Q1).build());
        assertThat(r.stage(PR).atAmount()).isEqualByComparingTo("1000.00");
        assertThat(r.stage(PR).atWeightedAmount()).isEqualByComparingTo("600.00");
        assertThat(r.stage(KC).atWeightedAmount()).isEqualByComparingTo("500.00");
        assertThat(r.stage(PR).reachedAmount()).isEqualByComparingTo("4000.00"); // o1 1000 + o2 2000 + o4 1000
        assertThat(r.openAmount()).isEqualByComparingTo("3000.00");
        assertThat(r.openWeightedAmount()).isEqualByComparingTo("1100.00");
        assertThat(r.wonAmount()).isEqualByComparingTo("3000.00");
    }

    @Test
    void timeInStageCycleAndVelocity() {
        FunnelResult r = engine(OPPS).funnel(query().period(Q1).build());
        // qualification: o1 5 d, o2 2 d, o3 2 d, o4 10 d
        assertThat(r.stage(Q).timeInStage()).isEqualTo(new DurationStats(4, 4.75, 3.5));
        // key contacts: o1 10 d, o2 10 d (first visit; the current one is not over), o3 10 d
        assertThat(r.stage(KC).timeInStage()).isEqualTo(new DurationStats(3, 10.0, 10.0));
        assertThat(r.cycle()).isEqualTo(new DurationStats(2, 19.0, 19.0));
        assertThat(r.wonCycle()).isEqualTo(new DurationStats(1, 10.0, 10.0));
        // 2 open × 0.5 × 3000 / 10 days
        assertThat(r.velocityPerDay()).isEqualByComparingTo("300.00");
    }

    @Test
    void activityCountsOnlyStagesNewlyReachedInThePeriodAndBackwardMovesNeverUnreach() {
        FunnelResult r = engine(OPPS).funnel(query().mode(FunnelMode.ACTIVITY).period(FEB).build());
        assertThat(r.count()).isEqualTo(2); // o2 moved back, o3 was created and progressed
        assertThat(r.stages()).extracting(StageFigures::reached).containsExactly(1L, 1L, 1L, 0L, 0L);
        assertThat(r.stages()).extracting(StageFigures::at).containsExactly(0L, 1L, 1L, 0L, 0L);
        assertThat(r.lost()).isZero(); // o3 was lost on 1 March, after the period
        assertThat(r.asOf()).isEqualTo(LocalDate.parse("2026-03-01").atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    @Test
    void activityCountsADealWonOrLostAgainAfterAReopenInsideThePeriod() {
        List<org.crmkit.core.Opportunity> opps = List.of(
                // won in January, reopened and won again in February: a February win
                opp("w", "m1", "2026-01-05").to(KC, "2026-01-10").won("2026-01-20", "1000.00").to(PR, "2026-02-05")
                        .won("2026-02-15", "1500.00").build(),
                // lost in January, reopened and lost again in February: a February loss at PROPOSAL_PRESENTATION
                opp("l", "m2", "2026-01-06").to(KC, "2026-01-08").lost("2026-01-25", "price", "Acme")
                        .to(PR, "2026-02-03").lost("2026-02-20", "fit", "Globex").build(),
                // won in January, reopened in February and still open at its end: not a February win
                opp("r", "m3", "2026-01-07").won("2026-01-21", "700.00").to(PP, "2026-02-10").build(),
                // won in January and left alone: not in February's activity at all
                opp("j", "m3", "2026-01-07").won("2026-01-22", "800.00").build());
        FunnelEngine e = engine(opps);
        FunnelQuery feb = query().mode(FunnelMode.ACTIVITY).period(FEB).build();
        FunnelResult r = e.funnel(feb);
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.won()).isEqualTo(1);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.open()).isEqualTo(1);
        assertThat(r.wonAmount()).isEqualByComparingTo("1500.00");
        assertThat(r.stage(PR).dropOff()).isEqualTo(1);
        assertThat(e.drillDown(feb, FunnelMeasure.WON, 0, 0, 10).ids()).containsExactly(OpportunityId.of("w"));
        assertThat(e.drillDown(feb, FunnelMeasure.LOST, 0, 0, 10).ids()).containsExactly(OpportunityId.of("l"));
        assertThat(e.drillDown(feb, FunnelMeasure.DROPPED, 3, 0, 10).ids()).containsExactly(OpportunityId.of("l"));
        WinLossAnalysis wl = e.winLoss(feb);
        assertThat(wl.won()).isEqualTo(1);
        assertThat(wl.lost()).isEqualTo(1);
        assertThat(wl.byReason()).extracting(WinLossRow::key).containsExactlyInAnyOrder("price", "fit");
        assertThat(wl.byCompetitor()).extracting(WinLossRow::key).containsExactly("Globex");
        // January saw the first close of each: as of its end three were won and one lost
        FunnelResult jan = e.funnel(query().mode(FunnelMode.ACTIVITY)
                .period(Period.inclusive(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"))).build());
        assertThat(jan.won()).isEqualTo(3);
        assertThat(jan.lost()).isEqualTo(1);
    }

    @Test
    void snapshotReplaysTheStateAsOfAnInstant() {
        FunnelResult r = engine(OPPS).funnel(query().mode(FunnelMode.SNAPSHOT).asOf(at("2026-01-25")).build());
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.stages()).extracting(StageFigures::reached).containsExactly(2L, 2L, 2L, 1L, 0L);
        assertThat(r.stages()).extracting(StageFigures::at).containsExactly(0L, 0L, 1L, 1L, 0L);
        // o2 was at PROPOSAL_PREPARATION then: weighted at the stage default 40 %, not its own 25 %
        assertThat(r.stage(PP).atWeightedAmount()).isEqualByComparingTo("800.00");
        assertThat(r.stage(PR).atWeightedAmount()).isEqualByComparingTo("600.00");
        assertThat(r.rateDate()).isEqualTo(LocalDate.parse("2026-01-25"));
    }

    @Test
    void managerInTwoGroupsCountsOnceInTheDepartment() {
        FunnelEngine e = engine(OPPS);
        FunnelResult dept = e.funnel(query().period(Q1).build());
        FunnelResult g1 = e.funnel(query().period(Q1).build().withNodes(List.of(UnitId.of("g1"))));
        FunnelResult g2 = e.funnel(query().period(Q1).build().withNodes(List.of(UnitId.of("g2"))));
        assertThat(g1.count()).isEqualTo(2);
        assertThat(g2.count()).isEqualTo(4);
        assertThat(dept.count()).isEqualTo(4);
        FunnelResult both = e.funnel(query().period(Q1).build().withNodes(List.of(UnitId.of("g1"), UnitId.of("g2"))));
        assertThat(both.stages()).isEqualTo(dept.stages());
        assertThat(both.count()).isEqualTo(dept.count());
    }

    @Test
    void convertsEachCurrencyAtTheRateOfTheAsOfDate() {
        ExchangeRateTable rates = ExchangeRateTable.builder()
                .rate("USD", "EUR", LocalDate.parse("2026-01-01"), "0.9")
                .rate("USD", "EUR", LocalDate.parse("2026-05-01"), "0.8").build();
        List<org.crmkit.core.Opportunity> opps = List.of(
                opp("u1", "m1", "2026-01-05").amount("1000.00", "USD").probability(50).build(),
                opp("e1", "m1", "2026-01-05").amount("10.01", "EUR").probability(50).build());
        FunnelEngine e = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(opps.stream())).rates(rates)
                .clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build();
        FunnelResult now = e.funnel(query().period(Q1).build());
        assertThat(now.stage(Q).atAmount()).isEqualByComparingTo("810.01");
        assertThat(now.stage(Q).atWeightedAmount()).isEqualByComparingTo("405.00"); // 405.005 half-even
        FunnelResult feb = e.funnel(query().period(Q1).rateDate(LocalDate.parse("2026-02-01")).build());
        assertThat(feb.stage(Q).atAmount()).isEqualByComparingTo("910.01");
        assertThatThrownBy(() -> e.funnel(query().period(Q1).reportingCurrency("GBP").build()))
                .isInstanceOf(MissingExchangeRateException.class);
    }

    @Test
    void drillDownGivesTheIdsBehindNumeratorAndDenominator() {
        FunnelEngine e = engine(OPPS);
        FunnelQuery q = query().period(Q1).build();
        assertThat(e.drillDown(q, FunnelMeasure.REACHED, 3, 0, 10).ids())
                .containsExactly(OpportunityId.of("o1"), OpportunityId.of("o2"), OpportunityId.of("o4"));
        IdPage page = e.drillDown(q, FunnelMeasure.REACHED, 0, 2, 1);
        assertThat(page.ids()).containsExactly(OpportunityId.of("o3"));
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.hasNext()).isTrue();
        assertThat(e.drillDown(q, FunnelMeasure.DROPPED, 2, 0, 10).ids()).containsExactly(OpportunityId.of("o3"));
        assertThat(e.funnel(q).stage(PR).owners()).containsExactly(ManagerId.of("m1"), ManagerId.of("m2"));
    }

    @Test
    void stageWinRatesAreTheShareOfClosedReachingTheStageThatWon() {
        List<StageWinRate> rates = engine(OPPS).stageWinRates(query().period(Q1).build());
        assertThat(rates.get(0)).isEqualTo(new StageWinRate(0, Q, 2, 1, 0.5));
        assertThat(rates.get(3)).isEqualTo(new StageWinRate(3, PR, 1, 1, 1.0));
    }

    @Test
    void resultIsATableAndEmptyScopeIsEmpty() {
        FunnelResult r = engine(Stream.<org.crmkit.core.Opportunity>empty().toList()).funnel(query().period(Q1).build());
        assertThat(r.count()).isZero();
        assertThat(r.winRate()).isNull();
        assertThat(r.stage(Q).stepConversion()).isNull();
        assertThat(r.openAmount()).isEqualTo(new BigDecimal("0.00"));
        assertThat(r.toString()).contains("QUALIFICATION").contains("win rate -");
    }

    /** o1 handed from m1 to m2 on 15 February, growing from 1000 to 1500 then, beside m2's own o3. */
    private static List<org.crmkit.core.Opportunity> bookWithAHandOver() {
        org.crmkit.core.Opportunity handed = opp("o1", "m1", "2026-01-05").to(KC, "2026-01-10").build()
                .edit(at("2026-02-15"), ManagerId.of("m1")).owner(ManagerId.of("m2"))
                .amount(org.crmkit.core.money.Amounts.of("1500.00", "EUR")).apply();
        return List.of(handed, OPPS.get(2));
    }

    @Test
    void aSnapshotOfTheBookAsItWasCountsADealForItsOwnerAndAmountOfThen() {
        List<org.crmkit.core.Opportunity> book = bookWithAHandOver();
        java.util.function.BiFunction<java.time.Instant, String, FunnelQuery> snapshot = (instant, manager) ->
                FunnelQuery.builder(Opps.PROCESS).nodes(ManagerId.of(manager)).reportingCurrency("EUR")
                        .mode(FunnelMode.SNAPSHOT).asOf(instant).build();
        java.util.function.BiFunction<java.time.Instant, String, FunnelResult> then = (instant, manager) ->
                FunnelEngine.builder().org(ORG).source(OpportunityColumns.asOf(book.stream(), instant))
                        .clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build()
                        .funnel(snapshot.apply(instant, manager));

        assertThat(then.apply(at("2026-02-01"), "m1").open()).isEqualTo(1);
        assertThat(then.apply(at("2026-02-01"), "m1").openAmount()).isEqualByComparingTo("1000.00");
        assertThat(then.apply(at("2026-02-01"), "m2").open()).isEqualTo(1); // o3, m2's own, at KC/PP then
        assertThat(then.apply(at("2026-02-01"), "m2").openAmount()).isEqualByComparingTo("500.00");
        assertThat(then.apply(at("2026-03-05"), "m1").count()).isZero();
        assertThat(then.apply(at("2026-03-05"), "m2").openAmount()).isEqualByComparingTo("1500.00");
        // the columns of the book as it is replay the stages only: today's owner and amount
        FunnelResult today = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(book.stream()))
                .clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build()
                .funnel(snapshot.apply(at("2026-02-01"), "m1"));
        assertThat(today.count()).isZero();
        assertThat(today.notice(FunnelNotice.Kind.FIELD_CHANGES_NOT_APPLIED)).isEmpty(); // m1 owns nothing today
        FunnelResult todayM2 = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(book.stream()))
                .clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC)).build()
                .funnel(snapshot.apply(at("2026-02-01"), "m2"));
        assertThat(todayM2.openAmount()).isEqualByComparingTo("2000.00"); // o1 at today's 1500, for today's m2
        assertThat(todayM2.notice(FunnelNotice.Kind.FIELD_CHANGES_NOT_APPLIED)).hasValueSatisfying(n -> {
            assertThat(n.count()).isEqualTo(1);
            assertThat(n.message()).contains("counts them with today's values");
        });
        // the columns of then leave out a deal created later
        assertThat(then.apply(at("2026-01-20"), "m2").count()).isZero();
    }

    @Test
    void aDealWhoseHistoryStartsAfterTheInstantIsCountedWithItsValuesAtTheStartAndSaidSo() {
        // o1 was stored before its store kept field history: its history starts on 1 March
        org.crmkit.core.Opportunity legacy = opp("o1", "m1", "2026-01-05").to(KC, "2026-01-10").build().toBuilder()
                .changes(List.of(org.crmkit.core.FieldChange.historyStart(at("2026-03-01"), ManagerId.of("m1"))))
                .build();
        List<org.crmkit.core.Opportunity> book = List.of(legacy, OPPS.get(2));
        Clock clock = Clock.fixed(at("2026-06-01"), ZoneOffset.UTC);
        FunnelQuery february = FunnelQuery.builder(Opps.PROCESS).nodes(ManagerId.of("m1")).reportingCurrency("EUR")
                .mode(FunnelMode.SNAPSHOT).asOf(at("2026-02-01")).build();
        for (FunnelSource source : List.<FunnelSource>of(OpportunityColumns.of(book.stream()),
                OpportunityColumns.asOf(book.stream(), at("2026-02-01")))) {
            FunnelResult r = FunnelEngine.builder().org(ORG).source(source).clock(clock).build().funnel(february);
            assertThat(r.open()).isEqualTo(1);
            assertThat(r.notice(FunnelNotice.Kind.HISTORY_STARTS_AFTER_AS_OF)).hasValueSatisfying(n -> {
                assertThat(n.count()).isEqualTo(1);
                assertThat(n.message()).contains("values then being unknown");
            });
            FunnelResult inMarch = FunnelEngine.builder().org(ORG).source(source).clock(clock).build()
                    .funnel(february.toBuilder().asOf(at("2026-03-02")).build());
            assertThat(inMarch.notice(FunnelNotice.Kind.HISTORY_STARTS_AFTER_AS_OF)).isEmpty();
        }
    }

    @Test
    void theReferenceSourceCountsADealForItsOwnerOfThenInEveryNodeAndTheWholeBook() {
        // m1 owns no deal today
        List<org.crmkit.core.Opportunity> book = bookWithAHandOver();
        org.crmkit.core.memory.InMemoryStorage memory = new org.crmkit.core.memory.InMemoryStorage();
        memory.processes().save(Opps.PROCESS);
        memory.opportunities().insertAll(book);
        Clock clock = Clock.fixed(at("2026-06-01"), ZoneOffset.UTC);
        FunnelEngine reference = FunnelEngine.builder().org(ORG).source(RepositoryFunnelSource.of(memory.opportunities()))
                .clock(clock).build();
        for (String instant : List.of("2026-02-01", "2026-02-15", "2026-03-05")) {
            for (List<org.crmkit.core.OrgNodeId> nodes : List.<List<org.crmkit.core.OrgNodeId>>of(List.of(),
                    List.of(ManagerId.of("m1")), List.of(ManagerId.of("m2")))) {
                FunnelQuery q = FunnelQuery.builder(Opps.PROCESS).nodes(nodes).reportingCurrency("EUR")
                        .mode(FunnelMode.SNAPSHOT).asOf(at(instant)).build();
                FunnelResult expected = FunnelEngine.builder().org(ORG)
                        .source(OpportunityColumns.asOf(book.stream(), at(instant))).clock(clock).build().funnel(q);
                assertThat(reference.funnel(q)).as("%s as of %s", nodes, instant).isEqualTo(expected);
            }
        }
        FunnelQuery wholeBook = FunnelQuery.builder(Opps.PROCESS).reportingCurrency("EUR").mode(FunnelMode.SNAPSHOT)
                .asOf(at("2026-02-01")).build();
        // the whole book as of 1 February holds o1 for m1, who owns nothing today
        assertThat(reference.funnel(wholeBook).openAmount()).isEqualByComparingTo("1500.00");
        assertThat(reference.funnel(wholeBook).stage(KC).owners()).contains(ManagerId.of("m1"));
        // a window that ends before now (January, asked in June): o1 was m1's at its end
        FunnelQuery january = FunnelQuery.builder(Opps.PROCESS).reportingCurrency("EUR").mode(FunnelMode.ACTIVITY)
                .period(Period.inclusive(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"))).build();
        FunnelResult inJanuary = reference.funnel(january);
        assertThat(inJanuary.stage(KC).owners()).containsExactly(ManagerId.of("m1"));
        assertThat(inJanuary.count()).isEqualTo(FunnelEngine.builder().org(ORG)
                .source(OpportunityColumns.asOf(book.stream(), at("2026-02-01").minusNanos(1))).clock(clock).build()
                .funnel(january).count());
    }
}
