package org.crmkit.core;

/**
 * An edge of the org DAG: {@code child} is part of {@code parent}. A unit may have several
 * parents (matrix organisations).
 *
 * @param child the contained unit
 * @param parent the containing unit
 */
public record UnitLink(UnitId child, UnitId parent) {
    /**
     * Validates the link.
     *
     * @throws ValidationException when a value is missing or the unit is its own parent
     */
    public UnitLink {
        ValidationException.requireNonNull(child, "unitLink.child");
        ValidationException.requireNonNull(parent, "unitLink.parent");
        ValidationException.require(!child.equals(parent), "unitLink.parent", parent, "a unit other than the child");
    }
}
