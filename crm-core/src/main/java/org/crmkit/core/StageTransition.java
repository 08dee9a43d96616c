package org.crmkit.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One stage change of an opportunity, kept forever. The first transition of every
 * opportunity has no {@code from} stage: it records the entry into the initial stage at
 * creation. Replaying the transitions in order always ends at the current stage.
 *
 * @param from the stage left, or null for the entry at creation
 * @param to the stage entered
 * @param at when the change happened
 * @param by the manager who made it
 */
public record StageTransition(String from, String to, Instant at, ManagerId by) {
    /**
     * Validates the transition.
     *
     * @throws ValidationException when {@code to}, {@code at} or {@code by} is missing, or
     *     {@code from} equals {@code to}
     */
    public StageTransition {
        StoreLimits.requireKey(to, "transition.to");
        StoreLimits.requireInstant(ValidationException.requireNonNull(at, "transition.at"), "transition.at");
        ValidationException.requireNonNull(by, "transition.by");
        if (from != null) {
            StoreLimits.requireKey(from, "transition.from");
        }
        ValidationException.require(!to.equals(from), "transition.to", to, "a stage other than the one left");
    }

    /**
     * The stage left.
     *
     * @return the stage left; empty for the entry at creation
     */
    public Optional<String> fromStage() {
        return Optional.ofNullable(from);
    }
}
