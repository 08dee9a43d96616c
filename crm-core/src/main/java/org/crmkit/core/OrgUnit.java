package org.crmkit.core;

/**
 * An org unit: a group, division, department or any kind the tenant defines.
 *
 * @param id the unit id
 * @param name the display name
 * @param kind the kind
 */
public record OrgUnit(UnitId id, String name, UnitKind kind) {
    /**
     * Validates the unit.
     *
     * @throws ValidationException when a value is missing
     */
    public OrgUnit {
        ValidationException.requireNonNull(id, "unit.id");
        StoreLimits.requireNonBlank(name, "unit.name");
        ValidationException.requireNonNull(kind, "unit.kind");
    }

    /**
     * A unit.
     *
     * @param id the id text
     * @param name the display name
     * @param kind the kind
     * @return the unit
     */
    public static OrgUnit of(String id, String name, UnitKind kind) {
        return new OrgUnit(UnitId.of(id), name, kind);
    }
}
