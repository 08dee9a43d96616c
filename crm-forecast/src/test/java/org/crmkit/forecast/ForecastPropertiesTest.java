package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.forecast.Deals.APRIL;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.core.money.ExchangeRateTable;
import org.crmkit.funnel.OverduePolicy;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ForecastPropertiesTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 6, 15);
    private static final String[] STAGES = {SalesProcesses.QUALIFICATION, SalesProcesses.KEY_CONTACTS,
        SalesProcesses.PROPOSAL_PREPARATION, SalesProcesses.PROPOSAL_PRESENTATION, SalesProcesses.CLOSING};

    /** One random opportunity per seed: open (60 %), won or lost; EUR or USD; a hand-set category now and then. */
    private static Opportunity deal(int index, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String id = "o" + index;
        String owner = "m" + r.nextInt(5);
        String currency = r.nextInt(3) == 0 ? "USD" : "EUR";
        String amount = BigDecimal.valueOf(r.nextLong(0, 100_000_000L), 2).toPlainString();
        LocalDate date = LocalDate.of(2026, 1, 1).plusDays(r.nextInt(900));
        int kind = r.nextInt(10);
        if (kind < 2) {
            return Deals.won(id, owner, amount, currency, date);
        }
        if (kind < 4) {
            return Deals.closedOn(Deals.base(id, owner, currency), org.crmkit.core.SalesProcess.LOST, date).probability(0)
                    .amount(Amounts.of(amount, currency)).expectedCloseDate(date)
                    .closeInfo(org.crmkit.core.CloseInfo.lost(date, "price", null)).build();
        }
        Opportunity o = Deals.open(id, owner, STAGES[r.nextInt(STAGES.length)], r.nextInt(101),
                r.nextInt(8) == 0 ? null : amount, currency, date);
        if (r.nextInt(6) == 0) {
            o = Deals.withCategory(o, ForecastCategory.values()[r.nextInt(ForecastCategory.values().length)]);
        }
        return o;
    }

    private static List<Opportunity> deals(List<Long> seeds) {
        List<Opportunity> out = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            out.add(deal(i, seeds.get(i)));
        }
        return out;
    }

    private static Gen<List<Long>> seeds(int max) {
        return lists().of(longs().all()).ofSizeBetween(0, max);
    }

    private static void assertSameFigure(Figure actual, Figure expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.amount()).isEqualByComparingTo(expected.amount());
        assertThat(actual.expected()).isEqualByComparingTo(expected.expected());
    }

    private static void assertSame(PeriodForecast actual, PeriodForecast expected) {
        for (ForecastCategory c : ForecastCategory.values()) {
            assertSameFigure(actual.individual(c), expected.individual(c));
        }
        assertSameFigure(actual.commitCumulative(), expected.commitCumulative());
        assertSameFigure(actual.bestCaseCumulative(), expected.bestCaseCumulative());
        assertSameFigure(actual.openPipeline(), expected.openPipeline());
        assertThat(actual.weightedOpen()).isEqualByComparingTo(expected.weightedOpen());
        assertThat(actual.projected()).isEqualByComparingTo(expected.projected());
    }

    @Test
    void forecastOfAPartitionSumsExactlyToTheForecastOfTheWhole() {
        ForecastEngine engine = Deals.engine(Deals.config().build());
        qt().withExamples(60).forAll(seeds(60), lists().of(booleans().all()).ofSize(60)).checkAssert((s, side) -> {
            List<Opportunity> all = deals(s);
            List<Opportunity> a = new ArrayList<>();
            List<Opportunity> b = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                (side.get(i) ? a : b).add(all.get(i));
            }
            Forecast whole = engine.snapshot(all, AS_OF).forecast();
            Forecast fa = engine.snapshot(a, AS_OF).forecast();
            Forecast fb = engine.snapshot(b, AS_OF).forecast();
            Set<Period> periods = new HashSet<>();
            whole.periods().forEach(p -> periods.add(p.period()));
            fa.periods().forEach(p -> assertThat(periods).contains(p.period()));
            fb.periods().forEach(p -> assertThat(periods).contains(p.period()));
            for (PeriodForecast w : whole.periods()) {
                assertSame(fa.periodOrEmpty(w.period()).plus(fb.periodOrEmpty(w.period())), w);
            }
            assertThat(fa.opportunities() + fb.opportunities()).isEqualTo(whole.opportunities());
        });
    }

    @Test
    void forecastOfEveryOwnerSumsExactlyToTheWhole() {
        ForecastEngine engine = Deals.engine(Deals.config().periodType(PeriodType.MONTH).build());
        qt().withExamples(40).forAll(seeds(80)).checkAssert(s -> {
            ForecastSnapshot snap = engine.snapshot(deals(s), AS_OF);
            for (PeriodForecast w : snap.forecast().periods()) {
                PeriodForecast sum = PeriodForecast.empty(w.period());
                for (int m = 0; m < 5; m++) {
                    sum = sum.plus(snap.forecastOf(Set.of(ManagerId.of("m" + m))).periodOrEmpty(w.period()));
                }
                assertSame(sum, w);
            }
        });
    }

    @Test
    void expectedValueIsMonotoneInProbabilityAndAmount() {
        ForecastEngine engine = Deals.engine(Deals.config().build());
        LocalDate close = LocalDate.of(2026, 8, 1);
        qt().withExamples(200).forAll(longs().between(0, 1_000_000_000_000L), longs().between(0, 1_000_000L),
                integers().between(0, 100), integers().between(0, 100)).checkAssert((amount, more, p, q) -> {
                    String a = BigDecimal.valueOf(amount, 2).toPlainString();
                    String bigger = BigDecimal.valueOf(amount + more, 2).toPlainString();
                    int lo = Math.min(p, q);
                    int hi = Math.max(p, q);
                    // lines come by owner then id: big, hi, lo
                    List<ForecastLine> byId = engine.snapshot(List.of(
                            Deals.open("lo", "m1", lo, a, close), Deals.open("hi", "m1", hi, a, close),
                            Deals.open("big", "m1", lo, bigger, close)), AS_OF).lines();
                    List<ForecastLine> lines = List.of(byId.get(2), byId.get(1), byId.get(0));
                    BigDecimal eLo = lines.get(0).expected();
                    assertThat(eLo).isLessThanOrEqualTo(lines.get(1).expected());
                    assertThat(eLo).isLessThanOrEqualTo(lines.get(2).expected());
                    assertThat(eLo.signum()).isGreaterThanOrEqualTo(0);
                    assertThat(lines.get(1).expected()).isLessThanOrEqualTo(lines.get(1).amount());
                });
    }

    @Test
    void weightedOpenLiesBetweenZeroAndTheSumOfAmounts() {
        ForecastEngine engine = Deals.engine(Deals.config().build());
        qt().withExamples(60).forAll(seeds(60)).checkAssert(s -> {
            for (PeriodForecast p : engine.snapshot(deals(s), AS_OF).forecast().periods()) {
                assertThat(p.weightedOpen().signum()).isGreaterThanOrEqualTo(0);
                assertThat(p.weightedOpen()).isLessThanOrEqualTo(p.openPipeline().amount());
                assertThat(p.projected()).isLessThanOrEqualTo(p.closed().amount().add(p.openPipeline().amount()));
            }
        });
    }

    /**
     * Tolerance: 5 standard errors of the sample mean (sd / sqrt(T)) and of the sample variance
     * (var · sqrt((kurtosis − 1) / T), with the exact kurtosis of the sum of Bernoulli terms).
     */
    @Test
    void monteCarloMomentsConvergeToTheExactOnesForAFixedSeed() {
        LocalDate close = LocalDate.of(2026, 8, 1);
        Period q2 = APRIL.periodOf(PeriodType.QUARTER, close);
        int trials = 20_000;
        qt().withExamples(25).forAll(lists().of(longs().between(1, 10_000_000L)).ofSizeBetween(3, 40),
                lists().of(integers().between(1, 99)).ofSize(40), longs().all()).checkAssert((amounts, probs, seed) -> {
                    List<Opportunity> opps = new ArrayList<>();
                    BigDecimal kappa4 = BigDecimal.ZERO;
                    for (int i = 0; i < amounts.size(); i++) {
                        opps.add(Deals.open("d" + i, "m1", probs.get(i), BigDecimal.valueOf(amounts.get(i), 2)
                                .toPlainString(), close));
                        double p = probs.get(i) / 100.0;
                        double a = amounts.get(i) / 100.0;
                        kappa4 = kappa4.add(BigDecimal.valueOf(a * a * a * a * p * (1 - p) * (1 - 6 * p * (1 - p))));
                    }
                    ForecastEngine engine = Deals.engine(Deals.config().exactWorkLimit(0).monteCarloTrials(trials)
                            .seed(seed).build());
                    RevenueDistribution d = engine.snapshot(opps, AS_OF).distribution(q2);
                    assertThat(d.method()).isEqualTo(RevenueDistribution.Method.MONTE_CARLO);
                    double var = d.variance().doubleValue();
                    double sd = Math.sqrt(var);
                    double kurtosis = 3 + kappa4.doubleValue() / (var * var);
                    assertThat(Math.abs(d.sampleMean() - d.mean().doubleValue()))
                            .isLessThanOrEqualTo(5 * sd / Math.sqrt(trials) + 1e-6);
                    assertThat(Math.abs(d.sampleVariance() - var))
                            .isLessThanOrEqualTo(5 * var * Math.sqrt((kurtosis - 1) / trials) + 1e-6);
                });
    }

    @Test
    void monteCarloAgreesWithExactPercentilesWithinSamplingError() {
        LocalDate close = LocalDate.of(2026, 8, 1);
        Period q2 = APRIL.periodOf(PeriodType.QUARTER, close);
        qt().withExamples(20).forAll(lists().of(longs().between(1, 1_000_000L)).ofSizeBetween(3, 12),
                lists().of(integers().between(1, 99)).ofSize(12)).checkAssert((amounts, probs) -> {
                    List<Opportunity> opps = new ArrayList<>();
                    for (int i = 0; i < amounts.size(); i++) {
                        opps.add(Deals.open("d" + i, "m1", probs.get(i), BigDecimal.valueOf(amounts.get(i), 2)
                                .toPlainString(), close));
                    }
                    RevenueDistribution exact = Deals.engine(Deals.config().build()).snapshot(opps, AS_OF)
                            .distribution(q2);
                    assertThat(exact.method()).isEqualTo(RevenueDistribution.Method.EXACT);
                    assertThat(exact.p10()).isLessThanOrEqualTo(exact.p50());
                    assertThat(exact.p50()).isLessThanOrEqualTo(exact.p90());
                    BigDecimal total = opps.stream().map(o -> Amounts.decimal(o.amount().orElseThrow()))
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    assertThat(exact.p90()).isLessThanOrEqualTo(total);
                    assertThat(exact.mean()).isLessThanOrEqualTo(total);
                });
    }

    @Test
    void periodBucketingPutsEveryOpportunityInExactlyOnePeriod() {
        qt().withExamples(60).forAll(seeds(60), integers().between(1, 12), integers().between(0, 3), booleans().all())
                .checkAssert((s, month, type, currentPolicy) -> {
                    FiscalCalendar cal = FiscalCalendar.of(Month.of(month), ZoneId.of("America/New_York"));
                    PeriodType pt = PeriodType.values()[type];
                    ForecastConfig config = ForecastConfig.builder(cal, Amounts.currency("EUR")).periodType(pt)
                            .overduePolicy(currentPolicy ? OverduePolicy.CURRENT_PERIOD
                                    : OverduePolicy.CLOSE_DATE_PERIOD).build();
                    List<Opportunity> opps = deals(s);
                    ForecastSnapshot snap = Deals.engine(config).snapshot(opps, AS_OF);
                    Forecast f = snap.forecast();
                    long notLost = opps.stream().filter(o -> o.status() != OpportunityStatus.LOST).count();
                    assertThat(snap.lines()).hasSize((int) notLost);
                    assertThat(f.opportunities()).isEqualTo(notLost);
                    for (int i = 1; i < f.periods().size(); i++) {
                        assertThat(f.periods().get(i - 1).period().end())
                                .isBeforeOrEqualTo(f.periods().get(i).period().start());
                    }
                    for (ForecastLine l : snap.lines()) {
                        Opportunity o = opps.stream().filter(x -> x.id().equals(l.id())).findFirst().orElseThrow();
                        LocalDate day = o.status() == OpportunityStatus.WON ? o.closeInfo().orElseThrow().closeDate()
                                : l.overdue() && currentPolicy ? AS_OF : o.expectedCloseDate();
                        assertThat(f.periods().stream().filter(p -> p.period().contains(day)).count()).isEqualTo(1);
                        assertThat(l.period().contains(day)).isTrue();
                        assertThat(l.period().type()).isEqualTo(pt);
                    }
                });
    }

    @Test
    void currencyConversionThereAndBackIsExactWithinRounding() {
        LocalDate day = LocalDate.of(2026, 3, 1);
        qt().withExamples(200).forAll(longs().between(0, 1_000_000_000_000L), integers().between(1, 5_000_000))
                .checkAssert((minor, rateTenThousandths) -> {
                    BigDecimal rate = BigDecimal.valueOf(rateTenThousandths, 4);
                    ExchangeRateTable table = ExchangeRateTable.builder()
                            .rate(Amounts.currency("USD"), Amounts.currency("EUR"), day, rate).build();
                    ForecastEngine engine = ForecastEngine.builder(Deals.config().build()).processes(Deals.PROCESS)
                            .exchangeRates(table).build();
                    String usd = BigDecimal.valueOf(minor, 2).toPlainString();
                    ForecastLine line = engine.snapshot(List.of(Deals.won("w", "m1", usd, "USD", day)), AS_OF)
                            .lines().get(0);
                    assertThat(line.amount()).isEqualByComparingTo(new BigDecimal(usd).multiply(rate));
                    CurrencyConverter c = CurrencyConverter.of(table);
                    BigDecimal back = c.convert(line.amount(), Amounts.currency("EUR"), Amounts.currency("USD"), day);
                    assertThat(Amounts.present(back, Amounts.currency("USD")))
                            .isEqualTo(Amounts.of(new BigDecimal(usd).setScale(2), Amounts.currency("USD")));
                    assertThat(back.subtract(new BigDecimal(usd)).abs())
                            .isLessThan(BigDecimal.ONE.movePointLeft(20).max(new BigDecimal(usd).abs()
                                    .multiply(BigDecimal.ONE.movePointLeft(30), MathContext.DECIMAL64)));
                });
    }

    @Test
    void aUnitCountsEachOpportunityOfItsDistinctMembersOnceWhateverThePaths() {
        ForecastEngine engine = Deals.engine(Deals.config().build());
        qt().withExamples(40).forAll(seeds(60), lists().of(integers().between(0, 3)).ofSize(5)).checkAssert((s, where) -> {
            // where[m]: 0 = in no unit, 1 = east, 2 = west, 3 = both (two paths to root)
            OrgStructure.Builder b = OrgStructure.builder()
                    .unit(UnitId.of("root"), "Root", UnitKind.DIVISION)
                    .unit(UnitId.of("east"), "East", UnitKind.GROUP)
                    .unit(UnitId.of("west"), "West", UnitKind.GROUP)
                    .link(UnitId.of("east"), UnitId.of("root")).link(UnitId.of("west"), UnitId.of("root"));
            Set<ManagerId> covered = new HashSet<>();
            for (int m = 0; m < 5; m++) {
                b.manager(ManagerId.of("m" + m), "M" + m);
                if ((where.get(m) & 1) != 0) {
                    b.member(ManagerId.of("m" + m), UnitId.of("east"));
                }
                if ((where.get(m) & 2) != 0) {
                    b.member(ManagerId.of("m" + m), UnitId.of("west"));
                }
                if (where.get(m) != 0) {
                    covered.add(ManagerId.of("m" + m));
                }
            }
            OrgStructure org = b.build();
            List<Opportunity> opps = deals(s);
            ForecastSnapshot snap = engine.snapshot(opps, AS_OF);
            Forecast root = snap.forecast(org, UnitId.of("root"));
            long expected = opps.stream().filter(o -> o.status() != OpportunityStatus.LOST)
                    .filter(o -> covered.contains(o.owner())).count();
            assertThat(root.opportunities()).isEqualTo(expected);
            assertThat(snap.lines(org, UnitId.of("root"))).hasSize((int) expected);
            for (PeriodForecast p : root.periods()) {
                PeriodForecast sum = PeriodForecast.empty(p.period());
                for (ManagerId m : covered) {
                    sum = sum.plus(snap.forecast(org, m).periodOrEmpty(p.period()));
                }
                assertSame(sum, p);
            }
        });
    }
}
