package org.crmkit.core;

/**
 * A manager's membership in a unit. A manager may belong to several units.
 *
 * @param manager the manager
 * @param unit the unit
 */
public record Membership(ManagerId manager, UnitId unit) {
    /**
     * Validates the membership.
     *
     * @throws ValidationException when a value is missing
     */
    public Membership {
        ValidationException.requireNonNull(manager, "membership.manager");
        ValidationException.requireNonNull(unit, "membership.unit");
    }
}
