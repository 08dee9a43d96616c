package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;

class TimingBacktestTest {
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().opportunities(2_000)
            .managers(10).hierarchy(2, 1, 1).seed(11).build());

    @Test
    void eachMonthComparesWhatEachMethodSaidAtItsStartWithWhatWasWon() {
        List<Opportunity> opps = GEN.opportunities().toList();
        OrgStructure org = GEN.orgStructure();
        OrgNodeId root = org.roots().get(0);
        ForecastEngine engine = ForecastEngine.builder(ForecastConfig.builder(GEN.config().calendar(),
                GEN.config().reportingCurrency()).build()).exchangeRates(GEN.exchangeRates())
                .processes(GEN.processes()).build();
        LocalDate first = GEN.config().asOfDate().minusMonths(3);
        TimingBacktest b = TimingBacktest.run(engine, GEN.processes(), opps, org, List.of(root), first, 2);
        assertThat(b.months()).hasSize(2);
        assertThat(b.summary()).extracting(TimingBacktest.Summary::method)
                .containsExactly("close-date", "measured", "leading", "leading: close-date");
        for (TimingBacktest.Month m : b.months()) {
            // what happened: the revenue of the deals won in the month, at their close-date rates
            BigDecimal won = BigDecimal.ZERO;
            for (Opportunity o : opps) {
                if (o.status() == OpportunityStatus.WON && m.month().contains(o.closeInfo().orElseThrow().closeDate())) {
                    CloseInfo c = o.closeInfo().orElseThrow();
                    won = won.add(CurrencyConverter.of(GEN.exchangeRates()).convert(
                            Amounts.decimal(c.actualRevenue()), o.currency(), GEN.config().reportingCurrency(),
                            c.closeDate()));
                }
            }
            assertThat(m.actual()).isEqualByComparingTo(won);
            assertThat(m.leadingActual()).isLessThanOrEqualTo(m.actual());
            // the measured forecast at the month's start is the timing forecast of a model fitted then
            Instant start = m.month().start().atStartOfDay(GEN.config().zone()).toInstant();
            TimeToCloseModel model = TimeToCloseModel.fit(GEN.config().zone(), start, GEN.processes(), opps);
            assertThat(m.measured()).isEqualByComparingTo(engine.timingForecast(model, opps, 1).forecast(org, root)
                    .months().get(0).expectedRevenue());
            // the leading rows follow the deals worked in the month before, as the indicator counts them
            Period previous = GEN.config().calendar().previous(m.month());
            long worked = LeadingIndicator.of(engine, model, opps, GEN.process(), previous, org, List.of(root), 1)
                    .get(root).worked();
            assertThat(m.workedLastMonth()).isEqualTo(worked);
            assertThat(m.closeDate()).isPositive();
        }
        TimingBacktest.Summary closeDate = b.summary().get(0);
        BigDecimal absolute = BigDecimal.ZERO;
        for (TimingBacktest.Month m : b.months()) {
            absolute = absolute.add(m.closeDate().subtract(m.actual()).abs());
        }
        assertThat(closeDate.meanAbsoluteError()).isEqualByComparingTo(absolute.divide(BigDecimal.valueOf(2), java.math.MathContext.DECIMAL64));
    }

    @Test
    void anOpportunityAsOfAPastInstantIsOpenAtItsStageThenWithThatStagesDefaultProbability() {
        Opportunity won = GEN.opportunities().filter(o -> o.status() == OpportunityStatus.WON
                && o.transitions().size() >= 3).findFirst().orElseThrow();
        Instant mid = won.transitions().get(1).at();
        Opportunity then = TimingBacktest.asOf(won, GEN.process(), mid);
        assertThat(then.status()).isEqualTo(OpportunityStatus.OPEN);
        assertThat(then.stage()).isEqualTo(won.transitions().get(1).to());
        assertThat(then.probability()).isEqualTo(GEN.process().stage(then.stage()).defaultProbability());
        assertThat(TimingBacktest.asOf(won, GEN.process(), won.transitions().get(0).at().minusSeconds(1))).isNull();
        assertThat(TimingBacktest.asOf(won, GEN.process(), Instant.MAX)).isNull();
    }
}
