package org.crmkit.core;

/**
 * Identifier of an {@link Opportunity}.
 *
 * @param value the identifier text, non-blank
 */
public record OpportunityId(String value) implements Comparable<OpportunityId> {
    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or blank
     */
    public OpportunityId {
        StoreLimits.requireKey(value, "opportunityId");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text, non-blank
     * @return the identifier
     * @throws ValidationException when {@code value} is null or blank
     */
    public static OpportunityId of(String value) {
        return new OpportunityId(value);
    }

    @Override
    public int compareTo(OpportunityId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
