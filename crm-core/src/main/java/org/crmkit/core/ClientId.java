package org.crmkit.core;

/**
 * Identifier of a client: an account (company) or a contact (person) in the host application.
 *
 * @param value the identifier text, non-blank
 */
public record ClientId(String value) implements Comparable<ClientId> {
    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or blank
     */
    public ClientId {
        StoreLimits.requireKey(value, "clientId");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text, non-blank
     * @return the identifier
     * @throws ValidationException when {@code value} is null or blank
     */
    public static ClientId of(String value) {
        return new ClientId(value);
    }

    @Override
    public int compareTo(ClientId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
