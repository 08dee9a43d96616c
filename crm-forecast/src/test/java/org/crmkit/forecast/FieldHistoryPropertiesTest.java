package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcessEngine;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.FieldHistories;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;

/**
 * Properties of field history on generated books (seeds pinned): a book is generated as it was
 * at an instant T, each deal given random changes before T, then evolved after T (more changes,
 * some deals lost); what the history says of T must be what the book was at T.
 */
class FieldHistoryPropertiesTest {
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().seed(41L)
            .opportunities(500).managers(12).hierarchy(1, 2, 2).currency("EUR", 2).currency("USD", 1)
            .reportingCurrency("EUR").build());
    private static final Instant T = GEN.asOf();
    private static final FiscalCalendar CALENDAR = FiscalCalendar.of(Month.JANUARY, GEN.config().zone());
    private static final ForecastEngine ENGINE = ForecastEngine.builder(
            ForecastConfig.builder(CALENDAR, org.crmkit.core.money.Amounts.currency("EUR")).build())
            .processes(GEN.processes()).exchangeRates(GEN.exchangeRates()).build();

    /** The book as it was at T, with random changes before T. */
    private static List<Opportunity> then(long seed) {
        Random r = new Random(seed);
        List<Opportunity> out = new ArrayList<>();
        for (Opportunity o : GEN.opportunities().toList()) {
            out.add(FieldHistories.withRandomChanges(o, r, T, 4, GEN.managerIds()));
        }
        return out;
    }

    /** The book evolved after T: changes within 60 days, and a quarter of the open deals lost after that. */
    private static List<Opportunity> evolved(List<Opportunity> then, long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        SalesProcessEngine engine = new SalesProcessEngine(Clock.fixed(T.plus(Duration.ofDays(61)), CALENDAR.zone()));
        List<Opportunity> out = new ArrayList<>();
        for (Opportunity o : then) {
            Opportunity e = FieldHistories.withRandomChanges(o, r, T.plusSeconds(1), T.plus(Duration.ofDays(60)), 5,
                    GEN.managerIds());
            if (e.status() == OpportunityStatus.OPEN && r.nextInt(4) == 0) {
                e = engine.lose(e, GEN.process(), CloseInfo.lost(null, "price", null), e.owner());
            }
            out.add(e);
        }
        return out;
    }

    @Test
    void theReconstructionAtTIsTheDealAsItWasAndAtTheLatestInstantItIsTheDeal() {
        qt().withExamples(4).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> then = then(seed);
            List<Opportunity> now = evolved(then, seed);
            for (int i = 0; i < then.size(); i++) {
                Opportunity rebuilt = now.get(i).asOf(T).orElseThrow();
                assertThat(rebuilt.sameContentAs(then.get(i))).as(then.get(i).id().value()).isTrue();
                assertThat(now.get(i).asOf(T.plus(Duration.ofDays(365)))).containsSame(now.get(i));
            }
        });
    }

    @Test
    void aForecastAtTFromHistoryEqualsTheForecastOfTheBookAsItWasAtT() {
        qt().withExamples(3).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> then = then(seed);
            List<Opportunity> now = evolved(then, seed);
            ForecastSnapshot fromHistory = ENGINE.snapshotAt(now, T);
            ForecastSnapshot atT = ENGINE.snapshot(then, CALENDAR.dateOf(T));
            assertThat(fromHistory.lines()).isEqualTo(atT.lines());
            for (OrgNodeId node : nodes()) {
                assertThat(fromHistory.forecast(GEN.orgStructure(), node))
                        .isEqualTo(atT.forecast(GEN.orgStructure(), node));
            }
            // and the history changed something: the forecast now is not the one of then
            assertThat(ENGINE.snapshot(now, CALENDAR.dateOf(T)).lines()).isNotEqualTo(atT.lines());
        });
    }

    @Test
    void everyWaterfallSumsExactlyAndOpensAndClosesAtTheTwoPipelines() {
        qt().withExamples(3).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> then = then(seed);
            List<Opportunity> now = evolved(then, seed);
            Instant end = T.plus(Duration.ofDays(90));
            PipelineChanges changes = PipelineChanges.between(ENGINE, now, T, end);
            Period quarter = CALENDAR.periodOf(PeriodType.QUARTER, T);
            for (Period p : List.of(quarter, CALENDAR.next(quarter))) {
                for (OrgNodeId node : nodes()) {
                    PipelineWaterfall w = changes.waterfall(GEN.orgStructure(), node, p);
                    Set<ManagerId> members = GEN.orgStructure().membersOf(node);
                    assertThat(w.opening()).isEqualByComparingTo(pipeline(then, CALENDAR.dateOf(T), members, p));
                    List<Opportunity> atEnd = now.stream().map(o -> o.asOf(end).orElseThrow()).toList();
                    assertThat(w.closing()).isEqualByComparingTo(pipeline(atEnd, CALENDAR.dateOf(end), members, p));
                    BigDecimal sum = w.opening();
                    long counted = 0;
                    for (PipelineWaterfall.Step s : w.steps()) {
                        sum = sum.add(s.delta());
                        counted += s.count();
                    }
                    assertThat(sum).isEqualByComparingTo(w.closing());
                    assertThat(counted).isEqualTo(w.deals().size());
                    assertThat(w.deals().stream().map(PipelineChange::id).distinct().count()).isEqualTo(counted);
                }
            }
        });
    }

    /** The pipeline total computed directly: open deals of the members closing in the period, at their line value. */
    private static BigDecimal pipeline(List<Opportunity> book, LocalDate day, Set<ManagerId> members, Period p) {
        Map<OpportunityId, ForecastLine> lines = new HashMap<>();
        ENGINE.snapshot(book, day).lines().forEach(l -> lines.put(l.id(), l));
        BigDecimal sum = BigDecimal.ZERO;
        for (Opportunity o : book) {
            if (o.status() == OpportunityStatus.OPEN && members.contains(o.owner()) && p.contains(o.expectedCloseDate())) {
                sum = sum.add(lines.get(o.id()).amount());
            }
        }
        return sum;
    }

    private static List<OrgNodeId> nodes() {
        List<OrgNodeId> out = new ArrayList<>();
        for (OrgUnit u : GEN.orgStructure().units()) {
            out.add(u.id());
        }
        out.add(GEN.managerIds().get(0));
        return out;
    }
}
