package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FieldChange;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcessEngine;
import org.crmkit.core.TrackedField;
import org.crmkit.core.money.Amounts;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.FieldHistories;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;

/**
 * Properties of the backtest, the calibration and the close-date slips on generated books with
 * random field histories (seeds pinned): each figure is the one computed directly from its
 * definition, and a backtest at an instant is the forecast of the book as it was then.
 */
class ForecastAccuracyPropertiesTest {
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().seed(43L)
            .opportunities(400).managers(10).hierarchy(1, 2, 2).shareOfManagersInTwoGroups(0.3)
            .currency("EUR", 2).currency("USD", 1).reportingCurrency("EUR").build());
    private static final Instant T = GEN.asOf();
    private static final FiscalCalendar CALENDAR = FiscalCalendar.of(Month.JANUARY, GEN.config().zone());
    private static final ForecastEngine ENGINE = ForecastEngine.builder(
            ForecastConfig.builder(CALENDAR, Amounts.currency("EUR")).build())
            .processes(GEN.processes()).exchangeRates(GEN.exchangeRates()).build();

    /** The generated book with random changes up to T; every seventh deal's history starts 20 days after creation. */
    private static List<Opportunity> book(long seed) {
        Random r = new Random(seed);
        List<Opportunity> out = new ArrayList<>();
        for (Opportunity o : GEN.opportunities().toList()) {
            if (r.nextInt(7) == 0) {
                Instant start = o.createdAt().plus(Duration.ofDays(20));
                o = o.toBuilder().changes(List.of(FieldChange.historyStart(start.isAfter(T) ? T : start, o.owner())))
                        .build();
            }
            out.add(FieldHistories.withRandomChanges(o, r, T, 5, GEN.managerIds()));
        }
        return out;
    }

    private static List<OrgNodeId> nodes() {
        List<OrgNodeId> out = new ArrayList<>();
        for (OrgUnit u : GEN.orgStructure().units()) {
            out.add(u.id());
        }
        out.addAll(GEN.managerIds().subList(0, 3));
        return out;
    }

    @Test
    void everyBacktestRowIsTheForecastOfTheBookAtItsPointAgainstTheRevenueWonInThePeriod() {
        Period last = CALENDAR.previous(CALENDAR.periodOf(PeriodType.QUARTER, T));
        List<Period> periods = List.of(CALENDAR.previous(last), last);
        qt().withExamples(3).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> book = book(seed);
            List<ForecastBacktest.Point> points = ForecastBacktest.Point.daysIn(CALENDAR, periods, 0, 40);
            ForecastBacktest b = ForecastBacktest.run(ENGINE, book, GEN.orgStructure(), nodes(), points, T);
            assertThat(b.rows()).hasSize(nodes().size() * points.size());
            for (ForecastBacktest.Row r : b.rows()) {
                ForecastSnapshot then = ENGINE.snapshotAt(book, r.point().at());
                PeriodForecast f = then.periodForecast(GEN.orgStructure(), r.node(), r.point().period());
                RevenueDistribution d = then.distribution(GEN.orgStructure(), r.node(), r.point().period());
                assertThat(r.expected()).isEqualByComparingTo(f.projected());
                assertThat(r.commit()).isEqualByComparingTo(f.commitCumulative().amount());
                assertThat(r.bestCase()).isEqualByComparingTo(f.bestCaseCumulative().amount());
                assertThat(r.openPipeline()).isEqualByComparingTo(f.openPipeline().amount());
                assertThat(List.of(r.p10(), r.p50(), r.p90())).isEqualTo(List.of(d.p10(), d.p50(), d.p90()));
                assertThat(r.actual()).as("actual of %s in %s", r.node(), r.point().period())
                        .isEqualByComparingTo(wonIn(book, GEN.orgStructure().membersOf(r.node()), r.point().period()));
                assertThat(r.insideP10P90()).isEqualTo(d.p10().compareTo(r.actual()) <= 0
                        && r.actual().compareTo(d.p90()) <= 0);
            }
            for (ForecastBacktest.Summary s : b.summary()) {
                List<ForecastBacktest.Row> mine = b.rows().stream().filter(r -> r.node().equals(s.node())
                        && r.point().label().equals(s.label())).toList();
                assertThat(s.periods()).isEqualTo(2).isEqualTo(mine.size());
                BigDecimal errors = mine.stream().map(ForecastBacktest.Row::error).reduce(BigDecimal.ZERO,
                        BigDecimal::add);
                assertThat(s.bias()).isEqualByComparingTo(errors.divide(BigDecimal.valueOf(2), MathContext.DECIMAL64));
                assertThat(s.insideP10P90()).isEqualTo((int) mine.stream().filter(ForecastBacktest.Row::insideP10P90)
                        .count());
            }
        });
    }

    /** The revenue won in a period by deals owned now by some managers, computed from its definition. */
    private static BigDecimal wonIn(List<Opportunity> book, Set<ManagerId> owners, Period period) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Opportunity o : book) {
            if (o.status() == OpportunityStatus.WON && owners.contains(o.owner())
                    && period.contains(CALENDAR.dateOf(o.closedAt().orElseThrow()))) {
                CloseInfo c = o.closeInfo().orElseThrow();
                sum = sum.add(ENGINE.converter().convert(Amounts.decimal(c.actualRevenue()), o.currency(),
                        Amounts.currency("EUR"), c.closeDate()));
            }
        }
        return sum;
    }

    @Test
    void aBacktestAtAnInstantIsTheForecastOfTheBookAsItWasThenNotAsItIsNow() {
        Period quarter = CALENDAR.periodOf(PeriodType.QUARTER, T);
        SalesProcessEngine later = new SalesProcessEngine(Clock.fixed(T.plus(Duration.ofDays(61)), CALENDAR.zone()));
        qt().withExamples(3).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> then = book(seed);
            Random r = new Random(~seed);
            List<Opportunity> now = new ArrayList<>();
            for (Opportunity o : then) {
                Opportunity e = FieldHistories.withRandomChanges(o, r, T.plusSeconds(1), T.plus(Duration.ofDays(60)), 4,
                        GEN.managerIds());
                if (e.status() == OpportunityStatus.OPEN && r.nextInt(3) == 0) {
                    e = later.lose(e, GEN.process(), CloseInfo.lost(null, "price", null), e.owner());
                }
                now.add(e);
            }
            ForecastBacktest b = ForecastBacktest.run(ENGINE, now, GEN.orgStructure(), nodes(),
                    List.of(new ForecastBacktest.Point(quarter, T, "T")), T.plus(Duration.ofDays(400)));
            ForecastSnapshot atT = ENGINE.snapshot(then, CALENDAR.dateOf(T));
            ForecastSnapshot nowAtT = ENGINE.snapshot(now, CALENDAR.dateOf(T));
            boolean anyDiffers = false;
            for (ForecastBacktest.Row row : b.rows()) {
                PeriodForecast f = atT.periodForecast(GEN.orgStructure(), row.node(), quarter);
                assertThat(row.expected()).isEqualByComparingTo(f.projected());
                assertThat(row.openDeals()).isEqualTo(f.openPipeline().count());
                anyDiffers |= nowAtT.periodForecast(GEN.orgStructure(), row.node(), quarter).projected()
                        .compareTo(row.expected()) != 0;
            }
            assertThat(anyDiffers).as("the book now forecasts something else").isTrue();
        });
    }

    @Test
    void theBrierScoreIsTheMeanSquaredMissOfTheIncludedDealsAndNoClosedDealIsLost() {
        Period window = Period.inclusive(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 9, 30));
        List<ProbabilityCalibration.Point> points = List.of(ProbabilityCalibration.Point.daysBeforeClose(30),
                ProbabilityCalibration.Point.at(Instant.parse("2026-05-01T00:00:00Z")),
                ProbabilityCalibration.Point.stageEntry(GEN.process().openStages().get(1).code()));
        qt().withExamples(3).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> book = book(seed);
            long closedInWindow = book.stream().filter(o -> o.status().isClosed()
                    && window.contains(CALENDAR.dateOf(o.closedAt().orElseThrow()))).count();
            for (ProbabilityCalibration.Point point : points) {
                ProbabilityCalibration c = ProbabilityCalibration.measure(ENGINE, book, window, point,
                        List.of(ProbabilityModels.own(), ProbabilityModels.stageDefault()));
                assertThat(c.closed()).isEqualTo(closedInWindow);
                assertThat(c.included() + c.excluded().size()).isEqualTo(closedInWindow);
                assertThat(c.included()).as("%s scores some deals", point).isPositive();
                Map<String, Opportunity> byId = new HashMap<>();
                book.forEach(o -> byId.put(o.id().value(), o));
                for (int m = 0; m < 2; m++) {
                    BigDecimal squares = BigDecimal.ZERO;
                    for (ProbabilityCalibration.CalibratedDeal d : c.deals()) {
                        BigDecimal p = BigDecimal.valueOf(d.predictions().get(m).basisPoints(), 4);
                        squares = squares.add(p.subtract(d.won() ? BigDecimal.ONE : BigDecimal.ZERO).pow(2));
                    }
                    ProbabilityCalibration.ModelCalibration mc = c.models().get(m);
                    assertThat(mc.overall().brierScore()).isEqualByComparingTo(
                            squares.divide(BigDecimal.valueOf(c.included()), MathContext.DECIMAL64));
                    assertThat(mc.overall().reliability().stream().mapToLong(ProbabilityCalibration.Bucket::deals)
                            .sum()).isEqualTo(c.included());
                    assertThat(mc.byManager().stream().mapToLong(s -> s.score().deals()).sum())
                            .isEqualTo(c.included());
                    assertThat(mc.byStage().stream().mapToLong(s -> s.score().deals()).sum()).isEqualTo(c.included());
                }
                for (ProbabilityCalibration.CalibratedDeal d : c.deals()) {
                    Opportunity o = byId.get(d.id().value());
                    Opportunity atPoint = o.asOf(d.at()).orElseThrow();
                    assertThat(atPoint.status()).isEqualTo(OpportunityStatus.OPEN);
                    assertThat(o.historyStart()).isBeforeOrEqualTo(d.at());
                    assertThat(d.predictions().get(0).basisPoints()).isEqualTo(atPoint.probability() * 100);
                    assertThat(d.owner()).isEqualTo(atPoint.owner());
                    assertThat(d.won()).isEqualTo(o.status() == OpportunityStatus.WON);
                }
            }
        });
    }

    @Test
    void aManagersSlipIsTheSumOverTheMovesOfTheirDealsAndADealsNetSlipIsItsLastDateMinusItsFirst() {
        qt().withExamples(3).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
            List<Opportunity> book = book(seed);
            CloseDateSlip slip = CloseDateSlip.of(book, null, null);
            long dealsWithMoves = book.stream().filter(o -> o.changes().stream()
                    .anyMatch(c -> c.field() == TrackedField.EXPECTED_CLOSE_DATE)).count();
            assertThat(slip.deals()).hasSize((int) dealsWithMoves);
            for (CloseDateSlip.DealSlip d : slip.deals()) {
                List<CloseDateSlip.Move> moves = d.moves();
                assertThat(d.netDays()).isEqualTo(java.time.temporal.ChronoUnit.DAYS.between(moves.get(0).fromDate(),
                        moves.get(moves.size() - 1).toDate()));
                assertThat(d.pushes() + d.pulls()).isEqualTo(moves.size());
            }
            long pushes = 0;
            long days = 0;
            for (CloseDateSlip.NodeSlip m : slip.managers()) {
                long mp = 0;
                long md = 0;
                long pulled = 0;
                for (CloseDateSlip.DealSlip d : slip.deals()) {
                    for (CloseDateSlip.Move mv : d.moves()) {
                        if (mv.owner().equals(m.node())) {
                            mp += mv.days() > 0 ? 1 : 0;
                            md += Math.max(0, mv.days());
                            pulled += Math.max(0, -mv.days());
                        }
                    }
                }
                assertThat(m.pushes()).isEqualTo(mp);
                assertThat(m.daysPushed()).isEqualTo(md);
                assertThat(m.daysPulled()).isEqualTo(pulled);
                pushes += m.pushes();
                days += m.daysPushed();
            }
            assertThat(pushes).isEqualTo(slip.deals().stream().mapToLong(CloseDateSlip.DealSlip::pushes).sum());
            assertThat(days).isEqualTo(slip.deals().stream().mapToLong(CloseDateSlip.DealSlip::daysPushed).sum());
            for (OrgUnit u : GEN.orgStructure().units()) {
                Set<ManagerId> members = new HashSet<>(GEN.orgStructure().membersOf(u.id()));
                CloseDateSlip.NodeSlip unit = slip.rollUp(GEN.orgStructure(), u.id());
                assertThat(unit.daysPushed()).isEqualTo(slip.managers().stream()
                        .filter(m -> members.contains((ManagerId) m.node())).mapToLong(CloseDateSlip.NodeSlip::daysPushed)
                        .sum());
                assertThat(unit.pulls()).isEqualTo(slip.managers().stream()
                        .filter(m -> members.contains((ManagerId) m.node())).mapToLong(CloseDateSlip.NodeSlip::pulls)
                        .sum());
            }
        });
    }
}
