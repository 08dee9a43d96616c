package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.forecast.Deals.APRIL;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcessEngine;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.core.Viewer;
import org.crmkit.core.Visibility;
import org.crmkit.core.money.Amounts;
import org.crmkit.forecast.ProbabilityCalibration.Bucket;
import org.crmkit.forecast.ProbabilityCalibration.Exclusion;
import org.crmkit.forecast.ProbabilityCalibration.ModelCalibration;
import org.crmkit.forecast.ProbabilityCalibration.Point;
import org.crmkit.forecast.spi.ProbabilityModel;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed calibration of the deals closed in fiscal Q1 2026 (April to June), the
 * reference process worked freely, stage defaults 10 / 25 / 40 / 60 / 80 %.
 *
 * <p>W1 (m1): presentation on 1 April (60 %), own 70 % from 10 April, won 20 May. L1 (m1): own
 * 30 % from 1 February at qualification, lost 10 May. W2 (m2): key contacts on 1 March (25 %),
 * won 10 June. L2 (m1): presentation on 1 February, own 90 % from 1 March, handed to m2 on
 * 5 June, lost 20 June. X (m2): created 1 May, won 15 May. H (m1): history from 20 May, lost
 * 1 June. Outside the window: won 10 July; an open deal.
 */
class ProbabilityCalibrationTest {
    private static final ManagerId M1 = ManagerId.of("m1");
    private static final ManagerId M2 = ManagerId.of("m2");
    private static final SalesProcess FREE = SalesProcesses.corporateSales(ProcessMode.FREE);
    private static final ForecastEngine ENGINE = ForecastEngine.builder(Deals.config().build()).processes(FREE)
            .build();
    private static final Period Q1 = APRIL.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 5, 1));
    private static final ProbabilityModel HISTORICAL = HistoricalWinRateModel.of(List.of(
            new MeasuredWinRate(FREE.id(), SalesProcesses.QUALIFICATION, 1, 5),
            new MeasuredWinRate(FREE.id(), SalesProcesses.PROPOSAL_PRESENTATION, 3, 4)), "FY2025");
    private static final List<ProbabilityModel> MODELS = List.of(ProbabilityModels.own(),
            ProbabilityModels.stageDefault(), HISTORICAL);

    private static Instant at(String day) {
        return LocalDate.parse(day).atTime(9, 0).toInstant(ZoneOffset.UTC);
    }

    private static SalesProcessEngine on(String day) {
        return new SalesProcessEngine(Clock.fixed(at(day), ZoneOffset.UTC));
    }

    private static Opportunity open(String id, ManagerId owner, int probability) {
        return Deals.open(id, owner.value(), SalesProcesses.QUALIFICATION, probability, "1000.00", "EUR",
                LocalDate.of(2026, 6, 30));
    }

    private static Opportunity won(Opportunity o, String day) {
        return on(day).win(o, FREE, CloseInfo.won(null, Amounts.of("1000.00", "EUR"), "fit"), o.owner());
    }

    private static Opportunity lost(Opportunity o, String day) {
        return on(day).lose(o, FREE, CloseInfo.lost(null, "price", null), o.owner());
    }

    static List<Opportunity> book() {
        List<Opportunity> b = new ArrayList<>();
        Opportunity w1 = on("2026-04-01").move(open("W1", M1, 10), FREE, SalesProcesses.PROPOSAL_PRESENTATION, M1);
        b.add(won(w1.edit(at("2026-04-10"), M1).probability(70).apply(), "2026-05-20"));
        b.add(lost(open("L1", M1, 10).edit(at("2026-02-01"), M1).probability(30).apply(), "2026-05-10"));
        b.add(won(on("2026-03-01").move(open("W2", M2, 10), FREE, SalesProcesses.KEY_CONTACTS, M2), "2026-06-10"));
        Opportunity l2 = on("2026-02-01").move(open("L2", M1, 10), FREE, SalesProcesses.PROPOSAL_PRESENTATION, M1);
        l2 = l2.edit(at("2026-03-01"), M1).probability(90).apply().edit(at("2026-06-05"), M1).owner(M2).apply();
        b.add(lost(l2, "2026-06-20"));
        Opportunity x = open("X", M2, 10).toBuilder().createdAt(at("2026-05-01")).transitions(List.of(
                new StageTransition(null, SalesProcesses.QUALIFICATION, at("2026-05-01"), M2))).build();
        b.add(won(x, "2026-05-15"));
        b.add(lost(open("H", M1, 10).toBuilder().changes(List.of(FieldChange.historyStart(at("2026-05-20"), M1)))
                .build(), "2026-06-01"));
        b.add(won(open("later", M1, 10), "2026-07-10"));
        b.add(open("still-open", M2, 50));
        return b;
    }

    private static ProbabilityCalibration thirtyDaysBefore() {
        return ProbabilityCalibration.measure(ENGINE, book(), Q1, Point.daysBeforeClose(30), MODELS);
    }

    @Test
    void everyDealClosedInTheWindowIsScoredOrExcludedWithItsReason() {
        ProbabilityCalibration c = thirtyDaysBefore();
        assertThat(c.closed()).isEqualTo(6);
        assertThat(c.included()).isEqualTo(4);
        assertThat(c.deals()).extracting(d -> d.id().value()).containsExactly("L1", "L2", "W1", "W2");
        assertThat(c.excluded()).extracting(e -> e.id().value() + ":" + e.reason()).containsExactly(
                "H:HISTORY_STARTS_AFTER", "X:NOT_CREATED");
        assertThat(c.excluded(Exclusion.NOT_CREATED)).isEqualTo(1);
    }

    @Test
    void eachModelGivesTheProbabilityOfThenAndItsBrierScoreIsTheMeanSquaredMiss() {
        ProbabilityCalibration c = thirtyDaysBefore();
        // 30 days before the close: W1 70 / 60 / 75 won, L1 30 / 10 / 20 lost, W2 25 / 25 / 25 (no rate) won,
        // L2 90 / 60 / 75 lost
        assertThat(c.deals()).filteredOn(d -> d.id().value().equals("W1")).singleElement().satisfies(d -> {
            assertThat(d.predictions()).extracting(ProbabilityCalibration.Prediction::basisPoints)
                    .containsExactly(7000, 6000, 7500);
            assertThat(d.stage()).isEqualTo(SalesProcesses.PROPOSAL_PRESENTATION);
            assertThat(d.at()).isEqualTo(at("2026-04-20"));
            assertThat(d.won()).isTrue();
        });
        // (0.3² + 0.3² + 0.75² + 0.9²) / 4
        assertThat(c.model("own").overall().brierScore()).isEqualByComparingTo("0.388125");
        // (0.4² + 0.1² + 0.75² + 0.6²) / 4
        assertThat(c.model("stage-default").overall().brierScore()).isEqualByComparingTo("0.273125");
        // (0.25² + 0.2² + 0.75² + 0.75²) / 4
        ModelCalibration historical = c.model(HISTORICAL.name());
        assertThat(historical.overall().brierScore()).isEqualByComparingTo("0.306875");
        assertThat(historical.fallbacks()).isEqualTo(1);
        assertThat(c.model("own").fallbacks()).isZero();
    }

    @Test
    void theReliabilityTableHoldsEachDealInTheBucketOfItsProbability() {
        ProbabilityCalibration c = thirtyDaysBefore();
        List<Bucket> stage = c.model("stage-default").overall().reliability();
        assertThat(stage).hasSize(10);
        assertThat(stage).extracting(Bucket::deals).containsExactly(0L, 1L, 1L, 0L, 0L, 0L, 2L, 0L, 0L, 0L);
        Bucket sixty = stage.get(6);
        assertThat(sixty.lower()).isEqualByComparingTo("0.6");
        assertThat(sixty.upper()).isEqualByComparingTo("0.7");
        assertThat(sixty.won()).isEqualTo(1);
        assertThat(sixty.meanPredicted()).isEqualByComparingTo("0.6");
        assertThat(sixty.observedWinRate()).isEqualByComparingTo("0.5");
        assertThat(stage.get(0).meanPredicted()).isNull();
        assertThat(stage.get(0).observedWinRate()).isNull();
        List<Bucket> own = c.model("own").overall().reliability();
        assertThat(own).extracting(Bucket::deals).containsExactly(0L, 0L, 1L, 1L, 0L, 0L, 0L, 1L, 0L, 1L);
        assertThat(own.get(9).observedWinRate()).isEqualByComparingTo("0");
        assertThat(own.get(7).observedWinRate()).isEqualByComparingTo("1");
    }

    @Test
    void perManagerIsByTheOwnerAtThePointAndPerStageByTheStageThen() {
        ModelCalibration own = thirtyDaysBefore().model("own");
        // L2 was m1's on 21 May, handed to m2 only on 5 June
        assertThat(own.byManager()).extracting(m -> m.manager().value()).containsExactly("m1", "m2");
        assertThat(own.byManager().get(0).score().deals()).isEqualTo(3);
        // (0.3² + 0.3² + 0.9²) / 3
        assertThat(own.byManager().get(0).score().brierScore()).isEqualByComparingTo("0.33");
        assertThat(own.byManager().get(1).score().brierScore()).isEqualByComparingTo("0.5625");
        assertThat(own.byStage()).extracting(ProbabilityCalibration.StageScore::stage).containsExactly(
                SalesProcesses.QUALIFICATION, SalesProcesses.KEY_CONTACTS, SalesProcesses.PROPOSAL_PRESENTATION);
        assertThat(own.byStage().get(2).score().brierScore()).isEqualByComparingTo("0.45");
        assertThat(own.byStage().get(2).score().won()).isEqualTo(1);
    }

    @Test
    void atTheEntryIntoAStageTheProbabilityIsTheOneTheStageChangeSet() {
        ProbabilityCalibration c = ProbabilityCalibration.measure(ENGINE, book(), Q1,
                Point.stageEntry(SalesProcesses.PROPOSAL_PRESENTATION), MODELS);
        assertThat(c.deals()).extracting(d -> d.id().value()).containsExactly("L2", "W1");
        assertThat(c.excluded(Exclusion.NEVER_ENTERED_STAGE)).isEqualTo(4);
        // 60 % at both entries: (0.4² + 0.6²) / 2
        assertThat(c.model("own").overall().brierScore()).isEqualByComparingTo("0.26");
    }

    @Test
    void atAFixedInstantDealsClosedBeforeItAreExcludedAndLaterCreatedOnesIncludedOnceTheyExist() {
        ProbabilityCalibration c = ProbabilityCalibration.measure(ENGINE, book(), Q1, Point.at(at("2026-05-12")),
                MODELS, 5);
        assertThat(c.deals()).extracting(d -> d.id().value()).containsExactly("L2", "W1", "W2", "X");
        assertThat(c.excluded()).extracting(e -> e.id().value() + ":" + e.reason()).containsExactly(
                "H:HISTORY_STARTS_AFTER", "L1:CLOSED_AT_POINT");
        // five buckets of 20 %: X 10 % and W2 25 % lower, W1 70 %, L2 90 %
        assertThat(c.model("own").overall().reliability()).extracting(Bucket::deals)
                .containsExactly(1L, 1L, 0L, 1L, 1L);
        // (0.9² + 0.75² + 0.3² + 0.9²) / 4
        assertThat(c.model("own").overall().brierScore()).isEqualByComparingTo("0.568125");
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> Point.daysBeforeClose(0)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("point.days");
        assertThatThrownBy(() -> ProbabilityCalibration.measure(ENGINE, book(), Q1, Point.stageEntry("NOPE"), MODELS))
                .isInstanceOf(ValidationException.class).hasMessageContaining("point.stage").hasMessageContaining("NOPE");
        assertThatThrownBy(() -> ProbabilityCalibration.measure(ENGINE, book(), Q1, Point.daysBeforeClose(30),
                List.of())).isInstanceOf(ValidationException.class).hasMessageContaining("models");
        assertThatThrownBy(() -> ProbabilityCalibration.measure(ENGINE, book(), Q1, Point.daysBeforeClose(30),
                List.of(ProbabilityModels.own(), ProbabilityModels.own()))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("own");
        assertThatThrownBy(() -> ProbabilityCalibration.measure(ENGINE, book(), Q1, Point.daysBeforeClose(30), MODELS,
                0)).isInstanceOf(ValidationException.class).hasMessageContaining("bucketCount");
    }

    @Test
    void anEngineRestrictedToAViewerScoresOnlyTheDealsTheViewerSees() {
        OrgStructure org = OrgStructure.builder().manager(M1, "Ann").manager(M2, "Bob")
                .build();
        ForecastEngine bobsView = ForecastEngine.builder(Deals.config().build()).processes(FREE)
                .visibility(Visibility.of(Viewer.own(M2), org)).build();
        ProbabilityCalibration c = ProbabilityCalibration.measure(bobsView, book(), Q1, Point.daysBeforeClose(30),
                MODELS);
        // m2 owns W2, X and (since 5 June) L2
        assertThat(c.closed()).isEqualTo(3);
        assertThat(c.deals()).extracting(d -> d.id().value()).containsExactly("L2", "W2");
        assertThat(c.excluded()).extracting(e -> e.id().value()).containsExactly("X");
    }
}
