package org.crmkit.core;

/**
 * The kind of an org unit. The common kinds are constants; any other kind a tenant uses
 * ("region", "branch", "tribe") is made with {@link #of(String)}.
 *
 * @param name the kind's name, upper case by convention
 */
public record UnitKind(String name) {
    /** A sales group (team). */
    public static final UnitKind GROUP = new UnitKind("GROUP");
    /** A division. */
    public static final UnitKind DIVISION = new UnitKind("DIVISION");
    /** A department. */
    public static final UnitKind DEPARTMENT = new UnitKind("DEPARTMENT");
    /** The whole company. */
    public static final UnitKind COMPANY = new UnitKind("COMPANY");

    /**
     * Validates the kind.
     *
     * @throws ValidationException when the name is blank
     */
    public UnitKind {
        StoreLimits.requireKey(name, "unit.kind");
    }

    /**
     * A kind by name.
     *
     * @param name the name
     * @return the kind
     */
    public static UnitKind of(String name) {
        return new UnitKind(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
