package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;

/** The forecast over the testkit's generated multi-currency dataset with a DAG org (managers in two groups). */
class GeneratedDatasetTest {
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().opportunities(20_000)
            .build());
    private static final List<Opportunity> OPPS = GEN.opportunities().toList();
    private static final OrgStructure ORG = GEN.orgStructure();

    private static ForecastEngine engine(org.crmkit.forecast.spi.ProbabilityModel model) {
        ForecastConfig config = ForecastConfig.builder(GEN.config().calendar(), GEN.config().reportingCurrency())
                .build();
        return ForecastEngine.builder(config).processes(GEN.processes()).exchangeRates(GEN.exchangeRates())
                .probabilityModel(model).build();
    }

    @Test
    void companyForecastIsTheExactSumOfItsManagersForecasts() {
        ForecastSnapshot s = engine(ProbabilityModels.own()).snapshot(OPPS, GEN.config().asOfDate());
        UnitId root = ORG.roots().get(0);
        Forecast company = s.forecast(ORG, root);
        assertThat(company.periods()).isNotEmpty();
        List<Forecast> managers = ORG.membersOf(root).stream().map(m -> s.forecast(ORG, m)).toList();
        for (PeriodForecast p : company.periods()) {
            PeriodForecast sum = PeriodForecast.empty(p.period());
            for (Forecast m : managers) {
                sum = sum.plus(m.periodOrEmpty(p.period()));
            }
            assertThat(sum.projected()).isEqualByComparingTo(p.projected());
            assertThat(sum.openPipeline().amount()).isEqualByComparingTo(p.openPipeline().amount());
            assertThat(sum.closed().count()).isEqualTo(p.closed().count());
        }
    }

    @Test
    void distributionMeanIsTheProjectedRevenueExactly() {
        ForecastSnapshot s = engine(ProbabilityModels.stageDefault()).snapshot(OPPS, GEN.config().asOfDate());
        Period current = GEN.config().calendar().periodOf(PeriodType.QUARTER, GEN.config().asOfDate());
        RevenueDistribution d = s.distribution(current);
        assertThat(d.mean()).isEqualByComparingTo(s.forecast().periodOrEmpty(current).projected());
        assertThat(d.p10()).isLessThanOrEqualTo(d.p50());
        assertThat(d.p50()).isLessThanOrEqualTo(d.p90());
    }

    @Test
    void historicalRatesMeasuredOnTheDatasetDriveTheForecast() {
        FunnelEngine funnel = FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(OPPS.stream()))
                .rates(GEN.exchangeRates()).calendar(GEN.config().calendar())
                .clock(Clock.fixed(GEN.asOf(), ZoneOffset.UTC)).build();
        Period window = Period.inclusive(GEN.config().start(), GEN.config().end().minusDays(1));
        HistoricalWinRateModel model = HistoricalWinRateModel.measure(funnel, GEN.process(),
                List.of(ORG.roots().get(0)), window, GEN.config().reportingCurrency());
        assertThat(model.rates()).hasSize(GEN.process().openStageCount());
        assertThat(model.rates()).allSatisfy(r -> assertThat(r.closed()).isPositive());
        ForecastSnapshot s = engine(model).snapshot(OPPS, GEN.config().asOfDate());
        assertThat(s.lines()).filteredOn(l -> l.status() == org.crmkit.core.OpportunityStatus.OPEN)
                .allSatisfy(l -> assertThat(l.probabilityBasisPoints()).isEqualTo(model.rateBasisPoints(
                        GEN.process().id(), stageOf(l)).orElseThrow()));
    }

    private static final java.util.Map<org.crmkit.core.OpportunityId, String> STAGES = OPPS.stream()
            .collect(java.util.stream.Collectors.toMap(Opportunity::id, Opportunity::stage));

    private static String stageOf(ForecastLine line) {
        return STAGES.get(line.id());
    }
}
