package org.crmkit.core;

/**
 * Identifier of a manager (sales person); also an {@link OrgNodeId} whose only member is the manager.
 *
 * @param value the identifier text, non-blank
 */
public record ManagerId(String value) implements OrgNodeId, Comparable<ManagerId> {
    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or blank
     */
    public ManagerId {
        StoreLimits.requireKey(value, "managerId");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text, non-blank
     * @return the identifier
     * @throws ValidationException when {@code value} is null or blank
     */
    public static ManagerId of(String value) {
        return new ManagerId(value);
    }

    @Override
    public int compareTo(ManagerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
