package org.crmkit.core;

/**
 * A person of the client taking part in the buying decision.
 *
 * @param contact the contact id in the host application
 * @param name the display name
 * @param role the decision role
 * @param attitude the attitude towards the deal
 */
public record Participant(ContactId contact, String name, DecisionRole role, Attitude attitude) {
    /**
     * Validates the participant.
     *
     * @throws ValidationException when a value is missing
     */
    public Participant {
        ValidationException.requireNonNull(contact, "participant.contact");
        StoreLimits.requireNonBlank(name, "participant.name");
        ValidationException.requireNonNull(role, "participant.role");
        ValidationException.requireNonNull(attitude, "participant.attitude");
    }
}
