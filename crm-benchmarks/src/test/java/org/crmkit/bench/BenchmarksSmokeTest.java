package org.crmkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.spi.AnswerPath;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark's setup and each benchmark method once on a tiny dataset (H2 only),
 * so the benchmarks are known to work without running JMH; and checks that the contenders
 * of one benchmark compute the same figures.
 */
class BenchmarksSmokeTest {
    @Test
    void funnelContendersAgreeOnEveryUnitsReachedCounts() {
        FunnelBenchmark b = new FunnelBenchmark();
        b.rows = 1_000;
        b.objectRows = 1_000;
        b.setUp();
        List<FunnelResult> engine = b.engineAllUnits();
        long[][] primitive = b.primitiveAllUnits();
        long[][] grouping = b.groupingByAllUnits();
        assertThat(b.engineAllUnitsOneThread()).isEqualTo(engine);
        assertThat(b.delegatingAllUnits()).isEqualTo(engine);
        assertThat(b.engineCompany()).isEqualTo(engine.get(0));
        assertThat(engine.get(0).count()).isEqualTo(1_000);
        assertThat(grouping).isDeepEqualTo(primitive);
        assertThat(engine).hasSize(primitive.length);
        for (int u = 0; u < primitive.length; u++) {
            for (int s = 0; s < engine.get(u).stages().size(); s++) {
                assertThat(engine.get(u).stages().get(s).reached()).as("unit %d stage %d", u, s)
                        .isEqualTo(primitive[u][s]);
            }
        }
    }

    @Test
    void forecastBenchmarksRunAndTheDistributionCoversEveryOpenDeal() {
        ForecastBenchmark b = new ForecastBenchmark();
        b.rows = 1_000;
        b.setUp();
        RevenueDistribution d = b.distribution();
        // every open deal is drawn except those set to OMITTED by hand
        long notOmitted = b.opportunities().stream()
                .filter(o -> o.forecastCategory().filter(ForecastCategory.OMITTED::equals).isEmpty()).count();
        assertThat(notOmitted).isLessThan(1_000);
        assertThat(d.opportunities()).isEqualTo(notOmitted);
        assertThat(b.snapshotAndDistribution()).isEqualTo(d);
        assertThat(b.rollUp()).isEqualTo(b.snapshotAndRollUp());
        assertThat(b.primitiveWeightedRollUp()[0]).isNotEmpty();
        double[] percentiles = b.primitiveMonteCarlo();
        assertThat(percentiles[0]).isLessThanOrEqualTo(percentiles[1]);
        assertThat(percentiles[1]).isLessThanOrEqualTo(percentiles[2]);
    }

    @Test
    void pipelineChangesBenchmarkGivesEveryUnitAWaterfallThatSumsAndAgreesEndToEnd() {
        PipelineChangesBenchmark b = new PipelineChangesBenchmark();
        b.rows = 2_000;
        b.setUp();
        assertThat(b.changeCount()).isGreaterThan(1_000);
        var all = b.betweenAndEveryWaterfall();
        assertThat(all).isEqualTo(b.everyWaterfall()).hasSize(BenchData.units(BenchData.generator(2_000)
                .orgStructure()).size());
        // the company's waterfall moves deals: its steps are not all UNCHANGED
        var company = all.values().iterator().next();
        assertThat(company.openingCount() + company.closingCount()).isPositive();
        assertThat(company.steps()).anySatisfy(s -> assertThat(s.count()).isPositive()
                .satisfies(c -> assertThat(s.step()).isNotEqualTo(org.crmkit.forecast.PipelineStep.UNCHANGED)));
        assertThat(b.between()).isNotNull();
        assertThat(b.snapshotNow().lines()).isNotEmpty();
    }

    @Test
    void timingBenchmarksRunAndTheModelReadsEveryDeal() {
        TimingBenchmark b = new TimingBenchmark();
        b.rows = 1_000;
        b.setUp();
        assertThat(b.fit().journeys()).isEqualTo(1_000);
        assertThat(b.fitByManagerAndDepartment().journeys()).isEqualTo(1_000);
        var forecasts = b.expectedRevenueAllUnits();
        assertThat(forecasts).hasSize(126);
        long open = b.opportunities().stream().filter(o -> o.status() == org.crmkit.core.OpportunityStatus.OPEN)
                .count();
        assertThat(forecasts.values().iterator().next().openDeals()).isEqualTo(open);
        assertThat(b.closeDateAllUnits()).isNotNull();
        assertThat(b.readEveryTransition()).isPositive();
    }

    @Test
    void importWritesEveryOpportunityIntoH2ByEachRoute() throws Exception {
        ImportBenchmark b = new ImportBenchmark();
        b.db = "h2";
        b.rows = 1_000;
        b.maintain = true;
        b.startDatabase();
        try {
            b.freshSchema();
            assertThat(b.crmStoreInsertAll()).isEqualTo(1_000);
            assertThat(b.jdbcBatchInsert()).isEqualTo(1_000);
            assertThatThrownBy(b::pgCopy).isInstanceOf(UnsupportedOperationException.class);
            b.dropSchema();
        } finally {
            b.stopDatabase();
        }
    }

    @Test
    void writesGoIntoAStoreThatAlreadyHoldsData() throws Exception {
        WriteBenchmark b = new WriteBenchmark();
        b.db = "sqlite";
        b.maintain = true;
        b.stored = 200;
        b.fill();
        try {
            long before = b.updateOne();
            assertThat(before).isGreaterThanOrEqualTo(2);
            assertThat(b.insertOne()).isEqualTo(1);
        } finally {
            b.close();
        }
    }

    @Test
    void syncBenchmarkUpsertsItsBatchAndStreamsTheWholeStoreOnH2() throws Exception {
        SyncBenchmark b = new SyncBenchmark();
        b.db = "h2";
        b.rows = 1_000;
        b.batch = 100;
        b.load();
        try {
            b.nextIteration();
            // upsertSync checks its own outcome: a tenth updated, a twentieth inserted
            assertThat(b.upsertSync().unchanged()).isEqualTo(90);
            assertThat(b.streamAll()).isEqualTo(1_005);
            assertThat(b.insertAllNew()).isEqualTo(100);
            b.nextIteration();
            assertThat(b.upsertSync().inserted()).isEqualTo(5);
            assertThat(b.streamAll()).isEqualTo(1_110);
            assertThat(b.streamScope()).isPositive().isLessThan(1_110);
            assertThat(b.rawRead()).isPositive();
        } finally {
            b.stop();
        }
    }

    @Test
    void tenantBenchmarkAnswersTheSameFunnelsInBothTenantsAndUpdatesThroughEachPathOnH2() throws Exception {
        TenantBenchmark b = new TenantBenchmark();
        b.db = "h2";
        b.rows = 1_000;
        b.load();
        try {
            List<FunnelResult> scoped = b.scopedAllUnits();
            assertThat(scoped.get(0).count()).isEqualTo(1_000);
            assertThat(scoped).isEqualTo(b.plainAllUnits()).isEqualTo(b.tenantOnlyAllUnits())
                    .isEqualTo(b.viewerOnlyAllUnits()).isEqualTo(b.dedicatedAllUnits());
            assertThat(b.plainUpdate()).isEqualTo(2);
            // three updates of the tenant's book (H2 has no dedicated pool: the same store)
            List<Long> versions = List.of(b.scopedUpdate(), b.scopedViewerUpdate(), b.dedicatedUpdate());
            assertThat(versions).allSatisfy(v -> assertThat(v).isBetween(2L, 4L));
        } finally {
            b.stop();
        }
    }

    @Test
    void dashboardFunnelsFromTheMaintainedAggregatesEqualTheGroupedScanOnH2() throws Exception {
        DashboardBenchmark b = new DashboardBenchmark();
        b.db = "h2";
        b.rows = 1_000;
        b.load();
        try {
            List<FunnelResult> kept = b.maintainedAllUnits();
            assertThat(kept.get(0).count()).isEqualTo(1_000);
            assertThat(kept).allSatisfy(f -> assertThat(f.answeredBy()).isEqualTo(AnswerPath.MAINTAINED));
            assertThat(kept.stream().map(f -> f.withAnsweredBy(AnswerPath.SCAN)).toList())
                    .isEqualTo(b.scannedAllUnits());
        } finally {
            b.stop();
        }
    }

    @Test
    void dashboardFunnelsFromTheColumnsEndStatesEqualTheirScan() throws Exception {
        DashboardBenchmark b = new DashboardBenchmark();
        b.db = "memory";
        b.rows = 1_000;
        b.load();
        try {
            List<FunnelResult> kept = b.maintainedAllUnits();
            List<FunnelResult> scanned = b.scannedAllUnits();
            assertThat(kept).allSatisfy(f -> assertThat(f.answeredBy()).isEqualTo(AnswerPath.MAINTAINED));
            assertThat(scanned).allSatisfy(f -> assertThat(f.answeredBy()).isEqualTo(AnswerPath.SCAN));
            assertThat(kept.stream().map(f -> f.withAnsweredBy(AnswerPath.SCAN)).toList()).isEqualTo(scanned);
        } finally {
            b.stop();
        }
    }

    @Test
    void pushedDownFunnelsEqualTheStreamedOnesOnH2() throws Exception {
        PushdownBenchmark b = new PushdownBenchmark();
        b.db = "h2";
        b.rows = 1_000;
        b.analyze = true;
        b.load();
        try {
            List<FunnelResult> pushed = b.pushedDownAllUnits();
            assertThat(pushed.get(0).count()).isEqualTo(1_000);
            assertThat(pushed).allSatisfy(f -> assertThat(f.answeredBy()).isEqualTo(AnswerPath.SCAN));
            // fresh columns answer from the end state they scan on their first query
            assertThat(pushed).isEqualTo(b.streamedRowsAllUnits().stream()
                    .map(f -> f.withAnsweredBy(AnswerPath.SCAN)).toList());
            assertThat(b.storeSummary().orElseThrow().opportunities().values().stream()
                    .mapToLong(Long::longValue).sum()).isEqualTo(1_000);
        } finally {
            b.stop();
        }
    }

    @Test
    void forecastFromTheStoreEqualsTheStreamedForecastOnH2() throws Exception {
        ForecastStoreBenchmark b = new ForecastStoreBenchmark();
        b.source = "h2";
        b.rows = 1_000;
        b.load();
        try {
            List<Object> fromStore = b.fromAggregates();
            // the company's roll-up, then one distribution per unit (company included)
            assertThat(fromStore).hasSize(2);
            Map<?, ?> distributions = (Map<?, ?>) fromStore.get(1);
            assertThat(distributions).hasSizeGreaterThan(2);
            assertThat(distributions.get(UnitId.of("company"))).isInstanceOf(RevenueDistribution.class);
            assertThat(fromStore).isEqualTo(b.streamedOpportunities());
        } finally {
            b.stop();
        }
    }
}
