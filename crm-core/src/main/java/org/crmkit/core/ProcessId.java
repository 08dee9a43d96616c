package org.crmkit.core;

/**
 * Identifier of a {@link SalesProcess}.
 *
 * @param value the identifier text, non-blank
 */
public record ProcessId(String value) implements Comparable<ProcessId> {
    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or blank
     */
    public ProcessId {
        StoreLimits.requireKey(value, "processId");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text, non-blank
     * @return the identifier
     * @throws ValidationException when {@code value} is null or blank
     */
    public static ProcessId of(String value) {
        return new ProcessId(value);
    }

    @Override
    public int compareTo(ProcessId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
