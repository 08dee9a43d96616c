package org.crmkit.core;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a {@link SalesProcess} to opportunities: opens them at the first stage, moves
 * them between stages, records steps done, wins, loses and reopens them, and tells what
 * must be done next. Every stage change appends a {@link StageTransition} stamped with the
 * injected {@link Clock} and sets the probability to the new stage's default, as
 * Salesforce does (set it again afterwards to override).
 *
 * <p>Rules: in {@link ProcessMode#BY_PROCESS} a forward move needs the required steps of the
 * current stage and of every stage it skips; moving backward and losing are always allowed.
 * In {@link ProcessMode#FREE} any move between open stages, winning and losing is allowed.
 * A closed opportunity changes stage only through {@link #reopen}.
 *
 * <p>Stateless apart from the clock; thread-safe.
 */
public final class SalesProcessEngine {
    private final Clock clock;

    /**
     * Creates an engine.
     *
     * @param clock the source of "now" for transitions
     */
    public SalesProcessEngine(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Opens a new opportunity at the process's first stage: sets the process, the stage,
     * the creation instant (now, unless the builder has one), the default probability
     * (unless the builder has one) and the entry transition.
     *
     * @param process the process
     * @param draft the opportunity's other values
     * @return the new opportunity (version 0, not stored)
     * @throws ValidationException when a value breaks a rule
     */
    public Opportunity open(SalesProcess process, Opportunity.Builder draft) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(draft, "draft");
        Stage first = process.firstStage();
        if (!draft.hasCreatedAt()) {
            draft.createdAt(clock.instant());
        }
        if (!draft.hasProbability()) {
            draft.probability(first.defaultProbability());
        }
        Opportunity opp = draft.processId(process.id()).stage(first.code()).transitions(List.of()).build();
        return opp.requireConformsTo(process);
    }

    /**
     * Marks a step of the process as done.
     *
     * @param opp the opportunity
     * @param process its process
     * @param stepCode the step
     * @return the changed opportunity
     * @throws ValidationException when the step is not part of the process
     */
    public Opportunity completeStep(Opportunity opp, SalesProcess process, String stepCode) {
        check(opp, process);
        process.stageOfStep(stepCode);
        return opp.toBuilder().completeStep(stepCode).build();
    }

    /**
     * Moves an open opportunity to another open stage.
     *
     * @param opp the opportunity
     * @param process its process
     * @param targetStage the open stage to enter
     * @param by who moves it
     * @return the changed opportunity with the transition appended
     * @throws ValidationException when the target is unknown, terminal, the current stage,
     *     the opportunity is closed, or (guided) required steps are missing
     */
    public Opportunity move(Opportunity opp, SalesProcess process, String targetStage, ManagerId by) {
        check(opp, process);
        Objects.requireNonNull(by, "by");
        Stage target = process.stage(targetStage);
        ValidationException.require(target.isOpen(), "targetStage", targetStage,
                "an open stage (use win() or lose() to close)");
        requireOpen(opp);
        ValidationException.require(!target.code().equals(opp.stage()), "targetStage", targetStage,
                "a stage other than the current one");
        requireStepsForForwardMove(opp, process, process.indexOf(targetStage));
        return transition(opp, target, by, null);
    }

    /**
     * Closes an opportunity as won.
     *
     * @param opp the open opportunity
     * @param process its process
     * @param close close data with the actual revenue; without a close date it gets the day
     *     of the closing transition in the clock's zone
     * @param by who closes it
     * @return the won opportunity
     * @throws ValidationException when closed already, the revenue is missing, or (guided)
     *     required steps of the remaining stages are missing
     */
    public Opportunity win(Opportunity opp, SalesProcess process, CloseInfo close, ManagerId by) {
        check(opp, process);
        Objects.requireNonNull(by, "by");
        ValidationException.requireNonNull(close, "closeInfo");
        requireOpen(opp);
        requireStepsForForwardMove(opp, process, process.openStageCount());
        return transition(opp, process.wonStage(), by, close);
    }

    /**
     * Closes an opportunity as lost; allowed from any open stage in every mode.
     *
     * @param opp the open opportunity
     * @param process its process
     * @param close close data (reason, winning competitor); without a close date it gets the
     *     day of the closing transition in the clock's zone
     * @param by who closes it
     * @return the lost opportunity
     * @throws ValidationException when closed already
     */
    public Opportunity lose(Opportunity opp, SalesProcess process, CloseInfo close, ManagerId by) {
        check(opp, process);
        Objects.requireNonNull(by, "by");
        ValidationException.requireNonNull(close, "closeInfo");
        requireOpen(opp);
        return transition(opp, process.lostStage(), by, close);
    }

    /**
     * Reopens a closed opportunity at an open stage; the close data is dropped, the history
     * and transitions are kept.
     *
     * @param opp the closed opportunity
     * @param process its process
     * @param targetStage the open stage to return to
     * @param by who reopens it
     * @return the reopened opportunity
     * @throws ValidationException when the opportunity is open or the target is not open
     */
    public Opportunity reopen(Opportunity opp, SalesProcess process, String targetStage, ManagerId by) {
        check(opp, process);
        Objects.requireNonNull(by, "by");
        ValidationException.require(opp.status().isClosed(), "status", opp.status(), "a closed opportunity");
        Stage target = process.stage(targetStage);
        ValidationException.require(target.isOpen(), "targetStage", targetStage, "an open stage");
        return transition(opp, target, by, null);
    }

    /**
     * Starts a change of an opportunity's tracked fields (amount, budget, currency, expected
     * close date, probability, forecast category, owner) at the clock's instant, or at the
     * last change or transition when the clock runs behind it, so the history stays in order.
     *
     * @param opp the opportunity
     * @param by who makes the change
     * @return the edit; {@link OpportunityEdit#apply()} returns the changed opportunity
     */
    public OpportunityEdit edit(Opportunity opp, ManagerId by) {
        Objects.requireNonNull(opp, "opportunity");
        Instant now = clock.instant();
        Instant last = opp.stageEnteredAt();
        if (!opp.changes().isEmpty() && opp.changes().get(opp.changes().size() - 1).at().isAfter(last)) {
            last = opp.changes().get(opp.changes().size() - 1).at();
        }
        return opp.edit(now.isBefore(last) ? last : now, by);
    }

    /**
     * What the opportunity needs next.
     *
     * @param opp the opportunity
     * @param process its process
     * @return the guidance
     */
    public Guidance nextActions(Opportunity opp, SalesProcess process) {
        check(opp, process);
        Stage current = process.stage(opp.stage());
        if (!current.isOpen()) {
            return new Guidance(opp.id(), current, List.of(), List.of(), Optional.empty());
        }
        List<Step> required = new ArrayList<>();
        List<Step> optional = new ArrayList<>();
        for (Step step : current.steps()) {
            if (!opp.completedSteps().contains(step.code())) {
                (step.required() ? required : optional).add(step);
            }
        }
        Stage next = process.stages().get(process.indexOf(current.code()) + 1);
        return new Guidance(opp.id(), current, required, optional, Optional.of(next));
    }

    private static void check(Opportunity opp, SalesProcess process) {
        Objects.requireNonNull(opp, "opportunity");
        Objects.requireNonNull(process, "process");
        ValidationException.require(process.id().equals(opp.processId()), "processId", opp.processId(),
                "the process " + process.id());
    }

    private static void requireOpen(Opportunity opp) {
        ValidationException.require(!opp.status().isClosed(), "status", opp.status(),
                "an open opportunity (" + opp.id() + " is closed; reopen it first)");
    }

    private static void requireStepsForForwardMove(Opportunity opp, SalesProcess process, int targetIndex) {
        if (process.mode() != ProcessMode.BY_PROCESS) {
            return;
        }
        int current = process.indexOf(opp.stage());
        for (int i = current; i < targetIndex; i++) {
            Stage s = process.stages().get(i);
            for (Step step : s.requiredSteps()) {
                if (!opp.completedSteps().contains(step.code())) {
                    throw new ValidationException("completedSteps", opp.completedSteps(),
                            "required step '" + step.code() + "' (" + step.name() + ") of stage " + s.code()
                                    + " done before moving forward in a BY_PROCESS process");
                }
            }
        }
    }

    private Opportunity transition(Opportunity opp, Stage target, ManagerId by, CloseInfo close) {
        Instant now = clock.instant();
        Instant last = opp.stageEnteredAt();
        // A clock running behind the last transition would break the time order; the
        // transition is then stamped at the last one's instant.
        if (!opp.changes().isEmpty() && opp.changes().get(opp.changes().size() - 1).at().isAfter(last)) {
            last = opp.changes().get(opp.changes().size() - 1).at();
        }
        Instant at = now.isBefore(last) ? last : now;
        if (close != null && close.closeDate() == null) {
            // the close date is the day of the closing transition, in the clock's zone
            close = close.withCloseDate(LocalDate.ofInstant(at, clock.getZone()));
        }
        Opportunity.Builder b = opp.toBuilder()
                .addTransition(new StageTransition(opp.stage(), target.code(), at, by))
                .stage(target.code())
                .probability(target.defaultProbability())
                .closeInfo(close);
        if (opp.probability() != target.defaultProbability()) {
            // the stage's default replaces the probability: a change of it like any other, so the
            // probability as of any instant is known and calibration sees what the deal had then
            b.addChange(FieldChange.of(TrackedField.PROBABILITY, opp.probability(), target.defaultProbability(), at, by));
        }
        return b.build();
    }
}
