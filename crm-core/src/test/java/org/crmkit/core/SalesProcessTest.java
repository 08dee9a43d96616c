package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.rejected;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SalesProcessTest {
    private static final ProcessId ID = ProcessId.of("p");
    private static final Stage WON = new Stage(SalesProcess.WON, "Won", StageKind.WON, 100, List.of());
    private static final Stage LOST = new Stage(SalesProcess.LOST, "Lost", StageKind.LOST, 0, List.of());

    private static Stage open(String code, Step... steps) {
        return Stage.open(code, code.toLowerCase(), 20, steps);
    }

    @Test
    void corporateSalesHasTheReferenceStagesInOrder() {
        SalesProcess p = SalesProcesses.corporateSales();
        assertThat(p.id()).isEqualTo(SalesProcesses.CORPORATE_SALES);
        assertThat(p.mode()).isEqualTo(ProcessMode.BY_PROCESS);
        assertThat(p.stages()).extracting(Stage::code).containsExactly("QUALIFICATION", "KEY_CONTACTS",
                "PROPOSAL_PREPARATION", "PROPOSAL_PRESENTATION", "CLOSING", "WON", "LOST");
        assertThat(p.stages()).extracting(Stage::name).containsExactly("Qualification (determine potential)",
                "Key contacts", "Proposal preparation", "Proposal presentation", "Closing", "Won", "Lost");
        assertThat(p.stages()).extracting(Stage::defaultProbability).containsExactly(10, 25, 40, 60, 80, 100, 0);
        assertThat(p.stages()).extracting(Stage::kind).containsExactly(StageKind.OPEN, StageKind.OPEN, StageKind.OPEN,
                StageKind.OPEN, StageKind.OPEN, StageKind.WON, StageKind.LOST);
        assertThat(p.openStageCount()).isEqualTo(5);
        assertThat(p.firstStage().code()).isEqualTo(SalesProcesses.QUALIFICATION);
        assertThat(p.wonStage().code()).isEqualTo(SalesProcess.WON);
        assertThat(p.lostStage().code()).isEqualTo(SalesProcess.LOST);
        assertThat(p.stage(SalesProcesses.KEY_CONTACTS).requiredSteps()).extracting(Step::code)
                .containsExactly("contacts-decision-maker");
        assertThat(SalesProcesses.corporateSales(ProcessMode.FREE).mode()).isEqualTo(ProcessMode.FREE);
    }

    @Test
    void everyOpenStageOfCorporateSalesHasARequiredStep() {
        for (Stage s : SalesProcesses.corporateSales().openStages()) {
            assertThat(s.requiredSteps()).as(s.code()).isNotEmpty();
        }
    }

    @Test
    void ofAppendsTheTerminalStages() {
        SalesProcess p = SalesProcess.of(ID, "P", ProcessMode.FREE, List.of(open("A"), open("B")));
        assertThat(p.stages()).extracting(Stage::code).containsExactly("A", "B", "WON", "LOST");
        assertThat(p.indexOf("B")).isEqualTo(1);
        assertThat(p.indexOf("WON")).isEqualTo(2);
        assertThat(p.indexOf("LOST")).isEqualTo(3);
    }

    @Test
    void terminalStagesMustComeLast() {
        rejected(() -> new SalesProcess(ID, "P", ProcessMode.FREE, List.of(open("A"), WON, open("B"), LOST)),
                "process.stages[1]", "WON");
        rejected(() -> new SalesProcess(ID, "P", ProcessMode.FREE, List.of(open("A"), LOST, WON)),
                "process.stages[1]", "LOST");
        rejected(() -> new SalesProcess(ID, "P", ProcessMode.FREE, List.of(open("A"), open("B"), WON)),
                "process.stages[1]", "B");
        rejected(() -> new SalesProcess(ID, "P", ProcessMode.FREE, List.of(open("A"), WON, LOST)
                .subList(0, 2)), "process.stages", "[A, WON]");
        rejected(() -> SalesProcess.of(ID, "P", ProcessMode.FREE, List.of()), "process.stages", "[]");
    }

    @Test
    void stageCodesMustBeUnique() {
        rejected(() -> SalesProcess.of(ID, "P", ProcessMode.FREE, List.of(open("A"), open("A"))), "stage.code", "A");
        rejected(() -> SalesProcess.of(ID, "P", ProcessMode.FREE, List.of(open("WON"))), "stage.code", "WON");
    }

    @Test
    void stepCodesMustBeUniqueAcrossTheProcess() {
        rejected(() -> SalesProcess.of(ID, "P", ProcessMode.FREE, List.of(open("A", Step.required("s", "S")),
                open("B", Step.optional("s", "S again")))), "step.code", "s");
    }

    @Test
    void atMostSixtyTwoOpenStages() {
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < SalesProcess.MAX_OPEN_STAGES; i++) {
            stages.add(open("S" + i));
        }
        assertThat(SalesProcess.of(ID, "P", ProcessMode.FREE, stages).openStageCount()).isEqualTo(62);
        stages.add(open("S62"));
        rejected(() -> SalesProcess.of(ID, "P", ProcessMode.FREE, stages), "process.stages", "63");
    }

    @Test
    void stageValuesAreValidated() {
        rejected(() -> Stage.open("A", "A", 101), "stage.defaultProbability", "101");
        rejected(() -> Stage.open("A", "A", -1), "stage.defaultProbability", "-1");
        rejected(() -> new Stage("W", "W", StageKind.WON, 100, List.of(Step.required("s", "S"))), "stage.steps",
                "[Step[code=s, name=S, required=true]]");
        rejected(() -> Step.required(" ", "S"), "step.code", "' '");
    }

    @Test
    void unknownStagesAndStepsAreNamed() {
        SalesProcess p = SalesProcesses.corporateSales();
        rejected(() -> p.indexOf("NEGOTIATION"), "stage", "NEGOTIATION");
        rejected(() -> p.stage("NEGOTIATION"), "stage", "NEGOTIATION");
        rejected(() -> p.stageOfStep("nope"), "step", "nope");
        assertThat(p.findStage("NEGOTIATION")).isEmpty();
        assertThat(p.stageOfStep("proposal-draft").code()).isEqualTo(SalesProcesses.PROPOSAL_PREPARATION);
    }

    @Test
    void withModeKeepsTheStages() {
        SalesProcess p = SalesProcesses.corporateSales();
        SalesProcess free = p.withMode(ProcessMode.FREE);
        assertThat(free.mode()).isEqualTo(ProcessMode.FREE);
        assertThat(free.stages()).isEqualTo(p.stages());
    }
}
