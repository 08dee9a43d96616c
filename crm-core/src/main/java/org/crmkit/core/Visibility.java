package org.crmkit.core;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The deals a {@link Viewer} may see, resolved against an org structure: the owners whose deals
 * are visible, or every owner. Resolve again after the org structure changes (a manager who
 * moves to another unit changes what a unit head sees).
 *
 * <p>Restricting never widens: {@link #restrict(Collection)} of a set of owners is the visible part of
 * it, and the empty set when nothing of it is visible (callers must then answer "nothing", never
 * read an empty owner set as "every owner").
 */
public final class Visibility {
    private final Viewer viewer;
    private final Set<ManagerId> owners;

    private Visibility(Viewer viewer, Set<ManagerId> owners) {
        this.viewer = viewer;
        this.owners = owners == null ? null : Set.copyOf(owners);
    }

    /**
     * Resolves a viewer against an org structure.
     *
     * @param viewer the viewer
     * @param org the org structure the viewer's rule is read in
     * @return the visibility
     * @throws NotFoundException when the viewer is a unit the org does not hold
     */
    public static Visibility of(Viewer viewer, OrgStructure org) {
        Objects.requireNonNull(viewer, "viewer");
        Objects.requireNonNull(org, "org");
        if (viewer.reach() == Viewer.Reach.ALL) {
            return new Visibility(viewer, null);
        }
        Set<ManagerId> out = new TreeSet<>();
        OrgNodeId node = viewer.node();
        if (node instanceof ManagerId m) {
            out.add(m);
            if (viewer.reach() == Viewer.Reach.UNIT_AND_BELOW && org.contains(m)) {
                for (UnitId unit : org.parentsOf(m)) {
                    out.addAll(org.membersOf(unit));
                }
            }
        } else {
            UnitId unit = (UnitId) node;
            out.addAll(viewer.reach() == Viewer.Reach.OWN ? org.directMembersOf(unit) : org.membersOf(unit));
        }
        return new Visibility(viewer, out);
    }

    /**
     * The viewer.
     *
     * @return the viewer
     */
    public Viewer viewer() {
        return viewer;
    }

    /**
     * Whether every deal is visible.
     *
     * @return true for a viewer who sees the whole book
     */
    public boolean isUnrestricted() {
        return owners == null;
    }

    /**
     * The visible owners; empty when every owner is visible ({@link #isUnrestricted()}).
     *
     * @return the owners
     */
    public Optional<Set<ManagerId>> owners() {
        return Optional.ofNullable(owners);
    }

    /**
     * Whether the deals of an owner are visible.
     *
     * @param owner the owner
     * @return true when visible
     */
    public boolean sees(ManagerId owner) {
        return owners == null || owners.contains(owner);
    }

    /**
     * The visible part of some owners.
     *
     * @param some the owners
     * @return those visible (a new set; empty when none is)
     */
    public Set<ManagerId> restrict(Collection<ManagerId> some) {
        Set<ManagerId> out = new TreeSet<>(some);
        if (owners != null) {
            out.retainAll(owners);
        }
        return out;
    }

    /**
     * Whether some owners are all visible.
     *
     * @param some the owners
     * @return true when none of them is hidden
     */
    public boolean seesAll(Collection<ManagerId> some) {
        return owners == null || owners.containsAll(some);
    }

    @Override
    public String toString() {
        return viewer + (owners == null ? ": every owner" : ": " + owners.size() + " owner(s)");
    }
}
