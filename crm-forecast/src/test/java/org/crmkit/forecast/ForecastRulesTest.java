package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.forecast.Deals.AS_OF;
import static org.crmkit.forecast.Deals.APRIL;
import static org.crmkit.forecast.Deals.config;
import static org.crmkit.forecast.Deals.engine;
import static org.crmkit.forecast.Deals.open;
import static org.crmkit.forecast.Deals.won;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.MissingExchangeRateException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.OverduePolicy;
import org.junit.jupiter.api.Test;

class ForecastRulesTest {
    private static final Period Q1 = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 5, 1));
    private static final Period Q2 = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 8, 1));
    private static final Period PREVIOUS_Q4 = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 2, 1));

    private static BigDecimal dec(String v) {
        return new BigDecimal(v);
    }

    private static Forecast forecast(ForecastConfig config, List<Opportunity> opps) {
        return engine(config).snapshot(opps, AS_OF).forecast();
    }

    @Test
    void fiscalQuartersFollowTheAprilStart() {
        assertThat(Q1.label()).isEqualTo("FY2027 Q1");
        assertThat(Q1.start()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(Q2.start()).isEqualTo(LocalDate.of(2026, 7, 1));
        assertThat(PREVIOUS_Q4.label()).isEqualTo("FY2026 Q4");
    }

    @Test
    void expectedValueIsAmountTimesProbability() {
        Forecast f = forecast(config().build(), List.of(open("a", "m1", 25, "1000.00", LocalDate.of(2026, 8, 10))));
        PeriodForecast q2 = f.period(Q2).orElseThrow();
        assertThat(q2.pipeline().amount()).isEqualByComparingTo("1000.00");
        assertThat(q2.pipeline().expected()).isEqualByComparingTo("250.00");
        assertThat(q2.weightedOpen()).isEqualByComparingTo("250");
        assertThat(f.periods()).hasSize(1);
    }

    @Test
    void sumsBeyondTheExactRangeAreReportedByNameNotWrapped() {
        // each amount is the largest the model admits; one deal's weighted value still fits
        String max = new BigDecimal(org.crmkit.core.StoreLimits.MAX_AMOUNT_MINOR).movePointLeft(2).toPlainString();
        LocalDate close = LocalDate.of(2026, 8, 10);
        assertThat(forecast(config().build(), List.of(open("a", "m1", 100, max, close))).period(Q2).orElseThrow()
                .weightedOpen()).isEqualByComparingTo(max);

        assertThatThrownBy(() -> forecast(config().build(), List.of(open("a", "m1", 100, max, close),
                open("b", "m1", 100, max, close))))
                .isInstanceOfSatisfying(org.crmkit.core.AmountOverflowException.class,
                        e -> assertThat(e.figure()).isEqualTo("weighted amount (EUR)"))
                .isInstanceOf(org.crmkit.core.CrmException.class);
    }

    @Test
    void fractionalCentsOfExpectedValueStayExact() {
        Forecast f = forecast(config().build(), List.of(open("a", "m1", 33, "0.01", LocalDate.of(2026, 8, 10))));
        assertThat(f.period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("0.0033");
    }

    @Test
    void budgetStandsInForAMissingAmountOnlyByPolicy() {
        Opportunity noAmount = Deals.base("b", "m1", "EUR").stage(SalesProcesses.PROPOSAL_PREPARATION).probability(40)
                .budget(org.crmkit.core.money.Amounts.of("2000.00", "EUR")).expectedCloseDate(LocalDate.of(2026, 8, 1))
                .build();
        ForecastSnapshot byBudget = engine(config().build()).snapshot(List.of(noAmount), AS_OF);
        assertThat(byBudget.lines().get(0).valueBasis()).isEqualTo(ForecastLine.ValueBasis.BUDGET);
        assertThat(byBudget.forecast().period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("800");

        ForecastSnapshot amountOnly = engine(config().valuePolicy(ForecastConfig.ValuePolicy.AMOUNT_ONLY).build())
                .snapshot(List.of(noAmount), AS_OF);
        assertThat(amountOnly.lines().get(0).valueBasis()).isEqualTo(ForecastLine.ValueBasis.NONE);
        assertThat(amountOnly.forecast().period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("0");
        assertThat(amountOnly.forecast().period(Q2).orElseThrow().pipeline().count()).isEqualTo(1);
    }

    @Test
    void overdueOpenDealGoesToTheCurrentPeriodByDefault() {
        Opportunity overdue = open("o", "m1", 60, "500.00", LocalDate.of(2026, 3, 20));
        ForecastSnapshot s = engine(config().build()).snapshot(List.of(overdue), AS_OF);
        assertThat(s.lines().get(0).overdue()).isTrue();
        assertThat(s.lines().get(0).period()).isEqualTo(Q1);
        assertThat(s.forecast().period(Q1).orElseThrow().bestCase().amount()).isEqualByComparingTo("500");
        assertThat(s.forecast().period(PREVIOUS_Q4)).isEmpty();
    }

    @Test
    void overdueOpenDealStaysInItsPastPeriodUnderCloseDatePolicy() {
        Opportunity overdue = open("o", "m1", 60, "500.00", LocalDate.of(2026, 3, 20));
        Forecast f = forecast(config().overduePolicy(OverduePolicy.CLOSE_DATE_PERIOD).build(),
                List.of(overdue));
        assertThat(f.period(PREVIOUS_Q4).orElseThrow().bestCase().amount()).isEqualByComparingTo("500");
        assertThat(f.period(Q1)).isEmpty();
    }

    @Test
    void dealClosingOnTheAsOfDateIsNotOverdue() {
        ForecastSnapshot s = engine(config().build()).snapshot(List.of(open("t", "m1", 60, "5.00", AS_OF)), AS_OF);
        assertThat(s.lines().get(0).overdue()).isFalse();
    }

    @Test
    void wonCountsAsActualInItsClosePeriodWithActualRevenueAndLostCountsNowhere() {
        Opportunity won = Deals.closedOn(Deals.base("w", "m1", "EUR"), org.crmkit.core.SalesProcess.WON,
                LocalDate.of(2026, 5, 2)).probability(100)
                .amount(org.crmkit.core.money.Amounts.of("999.00", "EUR")).expectedCloseDate(LocalDate.of(2026, 9, 1))
                .closeInfo(org.crmkit.core.CloseInfo.won(LocalDate.of(2026, 5, 2),
                        org.crmkit.core.money.Amounts.of("300.00", "EUR"), "fit"))
                .build();
        ForecastSnapshot s = engine(config().build()).snapshot(List.of(won,
                Deals.lost("l", "m1", "7000.00", LocalDate.of(2026, 5, 3))), AS_OF);
        Forecast f = s.forecast();
        assertThat(f.opportunities()).isEqualTo(1);
        assertThat(s.lines()).hasSize(1);
        PeriodForecast q1 = f.period(Q1).orElseThrow();
        assertThat(q1.closed().amount()).isEqualByComparingTo("300");
        assertThat(q1.actual()).isEqualByComparingTo("300");
        assertThat(q1.projected()).isEqualByComparingTo("300");
        assertThat(q1.omitted().count()).isZero();
        assertThat(f.period(Q2)).isEmpty();
    }

    @Test
    void categoriesAreReportedIndividuallyAndCumulatively() {
        LocalDate june = LocalDate.of(2026, 6, 20);
        List<Opportunity> opps = List.of(
                open("c1", "m1", 90, "1000.00", june),
                open("c2", "m1", 60, "2000.00", june),
                open("c3", "m1", 20, "4000.00", june),
                open("c4", "m1", 0, "8000.00", june),
                Deals.withCategory(open("c5", "m1", 20, "500.00", june), ForecastCategory.COMMIT),
                won("w1", "m1", "700.00", "EUR", LocalDate.of(2026, 5, 2)));
        PeriodForecast q1 = forecast(config().build(), opps).period(Q1).orElseThrow();
        assertThat(q1.closed().amount()).isEqualByComparingTo("700");
        assertThat(q1.commit().count()).isEqualTo(2);
        assertThat(q1.commit().amount()).isEqualByComparingTo("1500");
        assertThat(q1.commit().expected()).isEqualByComparingTo("1000");
        assertThat(q1.bestCase().amount()).isEqualByComparingTo("2000");
        assertThat(q1.pipeline().amount()).isEqualByComparingTo("4000");
        assertThat(q1.omitted().amount()).isEqualByComparingTo("8000");
        assertThat(q1.commitCumulative().amount()).isEqualByComparingTo("2200");
        assertThat(q1.bestCaseCumulative().amount()).isEqualByComparingTo("4200");
        assertThat(q1.openPipeline().amount()).isEqualByComparingTo("7500");
        assertThat(q1.openPipeline().count()).isEqualTo(4);
        assertThat(q1.weightedOpen()).isEqualByComparingTo("3000");
        assertThat(q1.projected()).isEqualByComparingTo("3700");
    }

    @Test
    void handSetCategoryWinsOverThresholdsAndHandSetClosedOnAnOpenDealIsIgnored() {
        LocalDate june = LocalDate.of(2026, 6, 20);
        ForecastSnapshot s = engine(config().build()).snapshot(List.of(
                Deals.withCategory(open("h1", "m1", 95, "10.00", june), ForecastCategory.OMITTED),
                Deals.withCategory(open("h2", "m1", 95, "10.00", june), ForecastCategory.CLOSED)), AS_OF);
        assertThat(s.lines().get(0).category()).isEqualTo(ForecastCategory.OMITTED);
        assertThat(s.lines().get(0).categorySetByHand()).isTrue();
        assertThat(s.lines().get(1).category()).isEqualTo(ForecastCategory.COMMIT);
        assertThat(s.lines().get(1).categorySetByHand()).isFalse();
        assertThat(s.forecast().period(Q1).orElseThrow().weightedOpen()).isEqualByComparingTo("9.5");
    }

    @Test
    void thresholdsAreConfigurable() {
        ForecastConfig strict = config().thresholds(CategoryThresholds.ofPercent(95, 70, 30)).build();
        PeriodForecast q2 = forecast(strict, List.of(open("x", "m1", 90, "100.00", LocalDate.of(2026, 8, 1)),
                open("y", "m1", 20, "100.00", LocalDate.of(2026, 8, 1)))).period(Q2).orElseThrow();
        assertThat(q2.bestCase().count()).isEqualTo(1);
        assertThat(q2.omitted().count()).isEqualTo(1);
        assertThatThrownBy(() -> new CategoryThresholds(5000, 6000, 1)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("bestCaseFrom");
    }

    @Test
    void stageDefaultModelUsesTheStageProbability() {
        ForecastEngine e = ForecastEngine.builder(config().build()).processes(Deals.PROCESS)
                .probabilityModel(ProbabilityModels.stageDefault()).build();
        Opportunity closing = open("s", "m1", SalesProcesses.CLOSING, 5, "1000.00", "EUR", LocalDate.of(2026, 8, 1));
        ForecastSnapshot s = e.snapshot(List.of(closing), AS_OF);
        assertThat(s.lines().get(0).probabilityBasisPoints()).isEqualTo(8000);
        assertThat(s.lines().get(0).category()).isEqualTo(ForecastCategory.COMMIT);
        assertThat(s.forecast().model()).isEqualTo("stage-default");
    }

    @Test
    void historicalModelUsesMeasuredRatesAndFallsBackOnThinHistory() {
        List<MeasuredWinRate> rates = List.of(
                new MeasuredWinRate(Deals.PROCESS.id(), SalesProcesses.PROPOSAL_PREPARATION, 3, 8),
                new MeasuredWinRate(Deals.PROCESS.id(), SalesProcesses.KEY_CONTACTS, 0, 0));
        HistoricalWinRateModel model = HistoricalWinRateModel.of(rates, "FY2026");
        Opportunity prep = open("p", "m1", SalesProcesses.PROPOSAL_PREPARATION, 5, "100.00", "EUR", AS_OF);
        Opportunity contacts = open("k", "m1", SalesProcesses.KEY_CONTACTS, 5, "100.00", "EUR", AS_OF);
        assertThat(model.probabilityBasisPoints(prep, Deals.PROCESS)).isEqualTo(3750);
        assertThat(model.probabilityBasisPoints(contacts, Deals.PROCESS)).isEqualTo(2500);
        HistoricalWinRateModel strict = HistoricalWinRateModel.of(rates, "FY2026", 10, ProbabilityModels.own());
        assertThat(strict.probabilityBasisPoints(prep, Deals.PROCESS)).isEqualTo(500);
        assertThat(new MeasuredWinRate(Deals.PROCESS.id(), "X", 1, 3).basisPoints()).contains(3333);
        assertThat(new MeasuredWinRate(Deals.PROCESS.id(), "X", 2, 3).basisPoints()).contains(6667);
    }

    @Test
    void modelOutsideTheRangeIsRejectedNamingTheModel() {
        ForecastEngine e = ForecastEngine.builder(config().build()).processes(Deals.PROCESS)
                .probabilityModel((o, p) -> 10_001).build();
        assertThatThrownBy(() -> e.snapshot(List.of(open("a", "m1", 5, "1.00", AS_OF)), AS_OF))
                .isInstanceOf(ValidationException.class).hasMessageContaining("10001");
    }

    @Test
    void wonConvertsAtItsCloseDateRateAndOpenAtTheAsOfRate() {
        ForecastSnapshot s = engine(config().build()).snapshot(List.of(
                open("u1", "m1", SalesProcesses.PROPOSAL_PREPARATION, 50, "1000.00", "USD", LocalDate.of(2026, 8, 10)),
                won("u2", "m1", "1000.00", "USD", LocalDate.of(2026, 2, 10))), AS_OF);
        Forecast f = s.forecast();
        assertThat(f.period(Q2).orElseThrow().bestCase().amount()).isEqualByComparingTo("750");
        assertThat(f.period(Q2).orElseThrow().weightedOpen()).isEqualByComparingTo("375");
        assertThat(f.period(PREVIOUS_Q4).orElseThrow().actual()).isEqualByComparingTo("900");
        assertThat(f.conversion().openRateDate()).isEqualTo(AS_OF);
        assertThat(f.conversion().toString()).contains("EUR").contains("as-of").contains("2026-06-15");
        assertThat(s.lines().get(1).rateDate()).isEqualTo(LocalDate.of(2026, 2, 10));
    }

    @Test
    void budgetRatePolicyConvertsOpenDealsAtTheFixedDate() {
        Forecast f = forecast(config().budgetRate(LocalDate.of(2026, 4, 1)).build(), List.of(
                open("u1", "m1", SalesProcesses.PROPOSAL_PREPARATION, 50, "1000.00", "USD", LocalDate.of(2026, 8, 10))));
        assertThat(f.period(Q2).orElseThrow().bestCase().amount()).isEqualByComparingTo("800");
        assertThat(f.conversion().openRates()).isEqualTo(ForecastConfig.OpenRatePolicy.BUDGET_RATE);
    }

    @Test
    void missingRateNamesThePairAndDate() {
        assertThatThrownBy(() -> engine(config().build()).snapshot(List.of(
                open("g", "m1", SalesProcesses.PROPOSAL_PREPARATION, 50, "10.00", "GBP", LocalDate.of(2026, 8, 10))),
                AS_OF)).isInstanceOf(MissingExchangeRateException.class).hasMessageContaining("GBP->EUR")
                .hasMessageContaining("2026-06-15");
    }

    @Test
    void unknownProcessOfAnOpenDealIsReported() {
        ForecastEngine noProcesses = ForecastEngine.builder(config().build()).build();
        assertThatThrownBy(() -> noProcesses.snapshot(List.of(open("a", "m1", 5, "1.00", AS_OF)), AS_OF))
                .isInstanceOf(org.crmkit.core.NotFoundException.class).hasMessageContaining("corporate-sales");
    }

    @Test
    void yearPeriodSumsItsQuartersAndMisalignedPeriodIsRejected() {
        ForecastSnapshot s = engine(config().build()).snapshot(List.of(
                open("a", "m1", 50, "100.00", LocalDate.of(2026, 8, 1)),
                open("b", "m1", 50, "300.00", LocalDate.of(2027, 2, 1))), AS_OF);
        OrgStructure org = OrgStructure.builder().manager(ManagerId.of("m1"), "Ann").build();
        Period year = APRIL.periodOf(PeriodType.YEAR, LocalDate.of(2026, 8, 1));
        assertThat(s.periodForecast(org, ManagerId.of("m1"), year).weightedOpen())
                .isEqualByComparingTo("200");
        Period month = APRIL.periodOf(PeriodType.MONTH, LocalDate.of(2026, 8, 1));
        assertThatThrownBy(() -> s.distribution(month)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("period");
    }
}
