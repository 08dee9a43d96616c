package org.crmkit.core;

/**
 * Identifier of an org unit (group, division, department, ...); an {@link OrgNodeId}.
 *
 * @param value the identifier text, non-blank
 */
public record UnitId(String value) implements OrgNodeId, Comparable<UnitId> {
    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or blank
     */
    public UnitId {
        StoreLimits.requireKey(value, "unitId");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text, non-blank
     * @return the identifier
     * @throws ValidationException when {@code value} is null or blank
     */
    public static UnitId of(String value) {
        return new UnitId(value);
    }

    @Override
    public int compareTo(UnitId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
