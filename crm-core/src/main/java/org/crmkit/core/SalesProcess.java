package org.crmkit.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A sales process: ordered open stages, then the terminal stages {@link #WON} and
 * {@link #LOST}. The order of the open stages is the order of the funnel: an opportunity
 * "reached" a stage when its furthest stage by this order is at or beyond it.
 *
 * <p>{@link #stages()} holds the open stages first, in order, then exactly one stage of kind
 * {@link StageKind#WON} and one of kind {@link StageKind#LOST}. Stage codes and step codes
 * are unique within the process. Use {@link #of} to build one from its open stages.
 *
 * @param id the process id
 * @param name the display name
 * @param mode how strictly stage changes are guided
 * @param stages open stages in order, then the won and the lost stage
 */
public record SalesProcess(ProcessId id, String name, ProcessMode mode, List<Stage> stages) {
    /** Code of the terminal won stage of every process built by {@link #of}. */
    public static final String WON = "WON";
    /** Code of the terminal lost stage of every process built by {@link #of}. */
    public static final String LOST = "LOST";
    /** The most open stages a process may have (so a set of stages fits one {@code long}). */
    public static final int MAX_OPEN_STAGES = 62;

    /**
     * Validates the process.
     *
     * @throws ValidationException when there is no open stage, the terminal stages are not
     *     last, or a stage or step code repeats
     */
    public SalesProcess {
        ValidationException.requireNonNull(id, "process.id");
        StoreLimits.requireNonBlank(name, "process.name");
        ValidationException.requireNonNull(mode, "process.mode");
        stages = List.copyOf(ValidationException.requireNonNull(stages, "process.stages"));
        ValidationException.require(stages.size() >= 3, "process.stages", codes(stages),
                "at least one open stage followed by a WON and a LOST stage");
        int n = stages.size();
        ValidationException.require(n - 2 <= MAX_OPEN_STAGES, "process.stages", n - 2,
                "at most " + MAX_OPEN_STAGES + " open stages");
        for (int i = 0; i < n - 2; i++) {
            ValidationException.require(stages.get(i).isOpen(), "process.stages[" + i + "]", stages.get(i).code(),
                    "an open stage (terminal stages come last)");
        }
        ValidationException.require(stages.get(n - 2).kind() == StageKind.WON && WON.equals(stages.get(n - 2).code()),
                "process.stages[" + (n - 2) + "]", stages.get(n - 2).code(), "the WON stage with code " + WON);
        ValidationException.require(stages.get(n - 1).kind() == StageKind.LOST && LOST.equals(stages.get(n - 1).code()),
                "process.stages[" + (n - 1) + "]", stages.get(n - 1).code(), "the LOST stage with code " + LOST);
        Set<String> stageCodes = new HashSet<>();
        Set<String> stepCodes = new HashSet<>();
        for (Stage s : stages) {
            ValidationException.require(stageCodes.add(s.code()), "stage.code", s.code(), "a code unique in the process");
            for (Step step : s.steps()) {
                ValidationException.require(stepCodes.add(step.code()), "step.code", step.code(),
                        "a code unique in the process");
            }
        }
    }

    /**
     * Builds a process from its open stages; the terminal stages {@code WON} ("Won", 100 %)
     * and {@code LOST} ("Lost", 0 %) are appended.
     *
     * @param id the process id
     * @param name the display name
     * @param mode how strictly stage changes are guided
     * @param openStages the open stages in funnel order, at least one
     * @return the process
     * @throws ValidationException when a stage is not open or codes repeat
     */
    public static SalesProcess of(ProcessId id, String name, ProcessMode mode, List<Stage> openStages) {
        ValidationException.require(openStages != null && !openStages.isEmpty(), "process.stages", openStages,
                "at least one open stage");
        List<Stage> all = new ArrayList<>(openStages);
        all.add(new Stage(WON, "Won", StageKind.WON, 100, List.of()));
        all.add(new Stage(LOST, "Lost", StageKind.LOST, 0, List.of()));
        return new SalesProcess(id, name, mode, all);
    }

    private static List<String> codes(List<Stage> stages) {
        return stages.stream().map(Stage::code).toList();
    }

    /**
     * A copy of this process with another mode.
     *
     * @param newMode the mode
     * @return the copy
     */
    public SalesProcess withMode(ProcessMode newMode) {
        return new SalesProcess(id, name, newMode, stages);
    }

    /**
     * The open stages in funnel order.
     *
     * @return the open stages
     */
    public List<Stage> openStages() {
        return stages.subList(0, stages.size() - 2);
    }

    /**
     * The number of open stages.
     *
     * @return the count, at least 1
     */
    public int openStageCount() {
        return stages.size() - 2;
    }

    /**
     * The first open stage, where every opportunity starts.
     *
     * @return the first stage
     */
    public Stage firstStage() {
        return stages.get(0);
    }

    /**
     * The terminal won stage.
     *
     * @return the won stage
     */
    public Stage wonStage() {
        return stages.get(stages.size() - 2);
    }

    /**
     * The terminal lost stage.
     *
     * @return the lost stage
     */
    public Stage lostStage() {
        return stages.get(stages.size() - 1);
    }

    /**
     * The stage with a code.
     *
     * @param code the stage code
     * @return the stage
     * @throws ValidationException when the process has no such stage
     */
    public Stage stage(String code) {
        int i = indexOf(code);
        return stages.get(i);
    }

    /**
     * Looks a stage up without failing.
     *
     * @param code the stage code
     * @return the stage, empty when unknown
     */
    public Optional<Stage> findStage(String code) {
        int i = find(code);
        return i < 0 ? Optional.empty() : Optional.of(stages.get(i));
    }

    /**
     * The position of a stage: open stages are {@code 0 .. openStageCount()-1} in funnel
     * order, the won stage is {@code openStageCount()}, the lost stage the one after.
     *
     * @param code the stage code
     * @return the position
     * @throws ValidationException when the process has no such stage
     */
    public int indexOf(String code) {
        int i = find(code);
        if (i < 0) {
            throw new ValidationException("stage", code, "one of " + codes(stages) + " of process " + id);
        }
        return i;
    }

    /**
     * The stage a step belongs to.
     *
     * @param stepCode the step code
     * @return the stage holding the step
     * @throws ValidationException when no stage has such a step
     */
    public Stage stageOfStep(String stepCode) {
        for (Stage s : stages) {
            for (Step step : s.steps()) {
                if (step.code().equals(stepCode)) {
                    return s;
                }
            }
        }
        throw new ValidationException("step", stepCode, "a step of process " + id);
    }

    // A process has a handful of stages: a linear scan beats any map here, and keeps the
    // record free of derived state. Hot paths (funnel, forecast) map codes to indexes once.
    private int find(String code) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).code().equals(code)) {
                return i;
            }
        }
        return -1;
    }
}
