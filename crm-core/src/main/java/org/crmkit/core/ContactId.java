package org.crmkit.core;

/**
 * Identifier of a contact person in the host application.
 *
 * @param value the identifier text, non-blank
 */
public record ContactId(String value) implements Comparable<ContactId> {
    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or blank
     */
    public ContactId {
        StoreLimits.requireKey(value, "contactId");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text, non-blank
     * @return the identifier
     * @throws ValidationException when {@code value} is null or blank
     */
    public static ContactId of(String value) {
        return new ContactId(value);
    }

    @Override
    public int compareTo(ContactId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
