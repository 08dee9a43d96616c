package org.crmkit.core;

/**
 * The client an opportunity sells to: a reference to an account or contact held by the
 * host application, with its display name.
 *
 * @param id the client id in the host application
 * @param kind account or contact
 * @param name the display name; the id's text when none is given
 */
public record ClientRef(ClientId id, ClientKind kind, String name) {
    /**
     * Validates the reference.
     *
     * @throws ValidationException when the id or the kind is missing
     */
    public ClientRef {
        ValidationException.requireNonNull(id, "client.id");
        ValidationException.requireNonNull(kind, "client.kind");
        // Real data often has only an account id or only a name: a missing name is the id.
        if (name == null || name.isBlank()) {
            name = id.value();
        }
        StoreLimits.requireText(name, "client.name");
    }

    /**
     * A company account.
     *
     * @param id the account id
     * @param name the display name, or null to show the id
     * @return the reference
     */
    public static ClientRef account(String id, String name) {
        return new ClientRef(ClientId.of(id), ClientKind.ACCOUNT, name);
    }

    /**
     * A person.
     *
     * @param id the contact id
     * @param name the display name, or null to show the id
     * @return the reference
     */
    public static ClientRef contact(String id, String name) {
        return new ClientRef(ClientId.of(id), ClientKind.CONTACT, name);
    }
}
