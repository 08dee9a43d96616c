package org.crmkit.core;

/**
 * A manager (sales person).
 *
 * @param id the manager id
 * @param name the display name
 */
public record Manager(ManagerId id, String name) {
    /**
     * Validates the manager.
     *
     * @throws ValidationException when a value is missing
     */
    public Manager {
        ValidationException.requireNonNull(id, "manager.id");
        StoreLimits.requireNonBlank(name, "manager.name");
    }

    /**
     * A manager.
     *
     * @param id the id text
     * @param name the display name
     * @return the manager
     */
    public static Manager of(String id, String name) {
        return new Manager(ManagerId.of(id), name);
    }
}
