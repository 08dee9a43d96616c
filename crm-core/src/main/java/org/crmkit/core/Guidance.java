package org.crmkit.core;

import java.util.List;
import java.util.Optional;

/**
 * What an opportunity needs next, according to its process: the steps of the current stage
 * still to do and the stage it can move to.
 *
 * @param opportunity the opportunity id
 * @param currentStage the current stage
 * @param requiredToDo required steps of the current stage not done yet; while any is left,
 *     a {@link ProcessMode#BY_PROCESS} process refuses a forward move
 * @param optionalToDo optional steps of the current stage not done yet
 * @param nextStage the next open stage, or the won stage after the last open one; empty
 *     when the opportunity is closed
 */
public record Guidance(OpportunityId opportunity, Stage currentStage, List<Step> requiredToDo, List<Step> optionalToDo,
        Optional<Stage> nextStage) {
    /** Copies the lists. */
    public Guidance {
        requiredToDo = List.copyOf(requiredToDo);
        optionalToDo = List.copyOf(optionalToDo);
    }

    /**
     * Whether every required step of the current stage is done.
     *
     * @return true when the opportunity may move forward in a guided process
     */
    public boolean readyToAdvance() {
        return requiredToDo.isEmpty() && nextStage.isPresent();
    }

    /**
     * A one-line, human-readable summary, e.g.
     * {@code "Key contacts: do 'Identify the decision maker', then move to Proposal preparation"}.
     *
     * @return the summary
     */
    public String describe() {
        if (nextStage.isEmpty()) {
            return currentStage.name() + ": closed, nothing to do";
        }
        if (requiredToDo.isEmpty()) {
            return currentStage.name() + ": ready to move to " + nextStage.get().name();
        }
        StringBuilder sb = new StringBuilder(currentStage.name()).append(": do ");
        for (int i = 0; i < requiredToDo.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(requiredToDo.get(i).name()).append('\'');
        }
        return sb.append(", then move to ").append(nextStage.get().name()).toString();
    }
}
