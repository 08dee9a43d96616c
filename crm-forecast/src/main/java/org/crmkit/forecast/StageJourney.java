package org.crmkit.forecast;

import java.util.List;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ProcessId;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;

/**
 * What the measured timing model reads of one opportunity: its owner, process and stage
 * transitions in time order (the first one the entry at creation; a transition into
 * {@code WON} or {@code LOST} is the outcome). A small value so that any source — a list of
 * opportunities, a stream from a store, a row set of a transition table — can feed the model
 * without building whole {@link Opportunity} objects.
 *
 * @param id the opportunity
 * @param owner its owner
 * @param process its sales process
 * @param transitions its stage transitions, in time order, not empty
 */
public record StageJourney(OpportunityId id, ManagerId owner, ProcessId process, List<StageTransition> transitions) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing or there is no transition
     */
    public StageJourney {
        ValidationException.requireNonNull(id, "journey.id");
        ValidationException.requireNonNull(owner, "journey.owner");
        ValidationException.requireNonNull(process, "journey.process");
        transitions = List.copyOf(ValidationException.requireNonNull(transitions, "journey.transitions"));
        ValidationException.require(!transitions.isEmpty(), "journey.transitions(" + id.value() + ")", transitions,
                "at least the entry at creation");
    }

    /**
     * The journey of an opportunity.
     *
     * @param opportunity the opportunity
     * @return its journey (the opportunity's own transition list, not copied again)
     */
    public static StageJourney of(Opportunity opportunity) {
        return new StageJourney(opportunity.id(), opportunity.owner(), opportunity.processId(),
                opportunity.transitions());
    }
}
