package org.crmkit.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The org structure: managers and units in a directed acyclic graph. A manager may belong
 * to several units and a unit may sit under several parents; a cycle is rejected when the
 * structure is built. Immutable and thread-safe.
 *
 * <p>{@link #membersOf(OrgNodeId)} resolves a node to the distinct managers it covers,
 * transitively. Because every opportunity has exactly one owner, reports that merge the
 * figures of a node's distinct members count each opportunity once, even when its owner is
 * reachable through two paths.
 */
public final class OrgStructure {
    private static final OrgStructure EMPTY = new OrgStructure(List.of(), List.of(), List.of(), List.of());

    private final Map<ManagerId, Manager> managers;
    private final Map<UnitId, OrgUnit> units;
    private final List<UnitLink> unitLinks;
    private final List<Membership> memberships;
    private final Map<UnitId, List<UnitId>> childUnits = new HashMap<>();
    private final Map<UnitId, List<UnitId>> parentUnits = new HashMap<>();
    private final Map<UnitId, List<ManagerId>> directMembers = new HashMap<>();
    private final Map<ManagerId, List<UnitId>> unitsOfManager = new HashMap<>();
    private final Map<UnitId, Set<ManagerId>> resolved;

    private OrgStructure(Collection<Manager> managers, Collection<OrgUnit> units, Collection<UnitLink> links,
            Collection<Membership> memberships) {
        Map<ManagerId, Manager> m = new LinkedHashMap<>();
        for (Manager manager : managers) {
            ValidationException.require(m.put(manager.id(), manager) == null, "manager.id", manager.id(),
                    "an id used once");
        }
        Map<UnitId, OrgUnit> u = new LinkedHashMap<>();
        for (OrgUnit unit : units) {
            ValidationException.require(u.put(unit.id(), unit) == null, "unit.id", unit.id(), "an id used once");
        }
        this.managers = Collections.unmodifiableMap(m);
        this.units = Collections.unmodifiableMap(u);
        this.unitLinks = List.copyOf(new LinkedHashSet<>(links));
        this.memberships = List.copyOf(new LinkedHashSet<>(memberships));
        for (UnitLink link : unitLinks) {
            ValidationException.require(u.containsKey(link.child()), "unitLink.child", link.child(), "a known unit");
            ValidationException.require(u.containsKey(link.parent()), "unitLink.parent", link.parent(), "a known unit");
            childUnits.computeIfAbsent(link.parent(), k -> new ArrayList<>()).add(link.child());
            parentUnits.computeIfAbsent(link.child(), k -> new ArrayList<>()).add(link.parent());
        }
        for (Membership ms : this.memberships) {
            ValidationException.require(m.containsKey(ms.manager()), "membership.manager", ms.manager(),
                    "a known manager");
            ValidationException.require(u.containsKey(ms.unit()), "membership.unit", ms.unit(), "a known unit");
            directMembers.computeIfAbsent(ms.unit(), k -> new ArrayList<>()).add(ms.manager());
            unitsOfManager.computeIfAbsent(ms.manager(), k -> new ArrayList<>()).add(ms.unit());
        }
        rejectCycles();
        Map<UnitId, Set<ManagerId>> r = new HashMap<>();
        for (UnitId id : u.keySet()) {
            resolve(id, r);
        }
        this.resolved = r;
    }

    /**
     * The empty structure.
     *
     * @return a structure without managers or units
     */
    public static OrgStructure empty() {
        return EMPTY;
    }

    /**
     * Creates a structure from its parts.
     *
     * @param managers the managers
     * @param units the units
     * @param unitLinks child-parent edges between units
     * @param memberships manager-unit memberships
     * @return the structure
     * @throws ValidationException on duplicate ids, unknown references or a cycle
     */
    public static OrgStructure of(Collection<Manager> managers, Collection<OrgUnit> units,
            Collection<UnitLink> unitLinks, Collection<Membership> memberships) {
        return new OrgStructure(Objects.requireNonNull(managers, "managers"), Objects.requireNonNull(units, "units"),
                Objects.requireNonNull(unitLinks, "unitLinks"), Objects.requireNonNull(memberships, "memberships"));
    }

    /**
     * Starts a builder.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this structure, to derive a changed copy.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.managers.addAll(managers.values());
        b.units.addAll(units.values());
        b.links.addAll(unitLinks);
        b.memberships.addAll(memberships);
        return b;
    }

    private void rejectCycles() {
        // Depth-first search with colours; the path on the stack names the cycle.
        Map<UnitId, Integer> colour = new HashMap<>();
        for (UnitId start : units.keySet()) {
            if (colour.getOrDefault(start, 0) == 0) {
                visit(start, colour, new ArrayList<>());
            }
        }
    }

    private void visit(UnitId node, Map<UnitId, Integer> colour, List<UnitId> path) {
        colour.put(node, 1);
        path.add(node);
        for (UnitId child : childUnits.getOrDefault(node, List.of())) {
            int c = colour.getOrDefault(child, 0);
            if (c == 1) {
                List<UnitId> cycle = new ArrayList<>(path.subList(path.indexOf(child), path.size()));
                cycle.add(child);
                throw new ValidationException("unitLinks", cycle, "an acyclic structure (this path is a cycle)");
            }
            if (c == 0) {
                visit(child, colour, path);
            }
        }
        path.remove(path.size() - 1);
        colour.put(node, 2);
    }

    private Set<ManagerId> resolve(UnitId id, Map<UnitId, Set<ManagerId>> memo) {
        Set<ManagerId> done = memo.get(id);
        if (done != null) {
            return done;
        }
        Set<ManagerId> members = new TreeSet<>(directMembers.getOrDefault(id, List.of()));
        for (UnitId child : childUnits.getOrDefault(id, List.of())) {
            members.addAll(resolve(child, memo));
        }
        Set<ManagerId> frozen = Collections.unmodifiableSet(members);
        memo.put(id, frozen);
        return frozen;
    }

    /**
     * The managers.
     *
     * @return managers in insertion order, unmodifiable
     */
    public Collection<Manager> managers() {
        return managers.values();
    }

    /**
     * The units.
     *
     * @return units in insertion order, unmodifiable
     */
    public Collection<OrgUnit> units() {
        return units.values();
    }

    /**
     * The child-parent edges between units.
     *
     * @return the links, unmodifiable
     */
    public List<UnitLink> unitLinks() {
        return unitLinks;
    }

    /**
     * The manager-unit memberships.
     *
     * @return the memberships, unmodifiable
     */
    public List<Membership> memberships() {
        return memberships;
    }

    /**
     * A manager by id.
     *
     * @param id the manager id
     * @return the manager, empty when unknown
     */
    public Optional<Manager> manager(ManagerId id) {
        return Optional.ofNullable(managers.get(id));
    }

    /**
     * A unit by id.
     *
     * @param id the unit id
     * @return the unit, empty when unknown
     */
    public Optional<OrgUnit> unit(UnitId id) {
        return Optional.ofNullable(units.get(id));
    }

    /**
     * Whether the node exists.
     *
     * @param node a manager or unit id
     * @return true when known
     */
    public boolean contains(OrgNodeId node) {
        return node instanceof ManagerId m ? managers.containsKey(m) : units.containsKey((UnitId) node);
    }

    /**
     * The display name of a node.
     *
     * @param node a manager or unit id
     * @return the name
     * @throws NotFoundException when the node is unknown
     */
    public String nameOf(OrgNodeId node) {
        requireKnown(node);
        return node instanceof ManagerId m ? managers.get(m).name() : units.get((UnitId) node).name();
    }

    /**
     * The distinct managers a node covers, transitively: a manager covers only itself; a
     * unit covers its members and the members of every unit below it.
     *
     * @param node a manager or unit id
     * @return the managers, sorted by id, unmodifiable
     * @throws NotFoundException when the node is unknown
     */
    public Set<ManagerId> membersOf(OrgNodeId node) {
        requireKnown(node);
        if (node instanceof ManagerId m) {
            return Set.of(m);
        }
        return resolved.get((UnitId) node);
    }

    /**
     * The direct children of a unit: its child units, then its direct member managers. Used
     * to compare a node with its parts.
     *
     * @param unit the unit
     * @return the children, unmodifiable
     * @throws NotFoundException when the unit is unknown
     */
    public List<OrgNodeId> childrenOf(UnitId unit) {
        requireKnown(unit);
        List<OrgNodeId> out = new ArrayList<>(childUnits.getOrDefault(unit, List.of()));
        out.addAll(directMembers.getOrDefault(unit, List.of()));
        return List.copyOf(out);
    }

    /**
     * The direct child units of a unit.
     *
     * @param unit the unit
     * @return the child units, unmodifiable
     * @throws NotFoundException when the unit is unknown
     */
    public List<UnitId> childUnitsOf(UnitId unit) {
        requireKnown(unit);
        return List.copyOf(childUnits.getOrDefault(unit, List.of()));
    }

    /**
     * The managers who are direct members of a unit.
     *
     * @param unit the unit
     * @return the direct members, unmodifiable
     * @throws NotFoundException when the unit is unknown
     */
    public List<ManagerId> directMembersOf(UnitId unit) {
        requireKnown(unit);
        return List.copyOf(directMembers.getOrDefault(unit, List.of()));
    }

    /**
     * The direct parents of a node: the units a manager belongs to, or the parents of a unit.
     *
     * @param node a manager or unit id
     * @return the parent units, unmodifiable
     * @throws NotFoundException when the node is unknown
     */
    public List<UnitId> parentsOf(OrgNodeId node) {
        requireKnown(node);
        List<UnitId> p = node instanceof ManagerId m ? unitsOfManager.get(m) : parentUnits.get((UnitId) node);
        return p == null ? List.of() : List.copyOf(p);
    }

    /**
     * Every unit above a node, transitively.
     *
     * @param node a manager or unit id
     * @return the ancestor units, unmodifiable
     * @throws NotFoundException when the node is unknown
     */
    public Set<UnitId> ancestorsOf(OrgNodeId node) {
        Set<UnitId> seen = new LinkedHashSet<>();
        Deque<UnitId> todo = new ArrayDeque<>(parentsOf(node));
        while (!todo.isEmpty()) {
            UnitId u = todo.pop();
            if (seen.add(u)) {
                todo.addAll(parentUnits.getOrDefault(u, List.of()));
            }
        }
        return Collections.unmodifiableSet(seen);
    }

    /**
     * The units without a parent.
     *
     * @return the root units, unmodifiable
     */
    public List<UnitId> roots() {
        List<UnitId> out = new ArrayList<>();
        for (UnitId id : units.keySet()) {
            if (!parentUnits.containsKey(id)) {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }

    private void requireKnown(OrgNodeId node) {
        Objects.requireNonNull(node, "node");
        if (!contains(node)) {
            throw new NotFoundException(node instanceof ManagerId ? "manager" : "unit", node.value());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrgStructure other && new HashSet<>(managers.values()).equals(new HashSet<>(other.managers.values()))
                && new HashSet<>(units.values()).equals(new HashSet<>(other.units.values()))
                && new HashSet<>(unitLinks).equals(new HashSet<>(other.unitLinks))
                && new HashSet<>(memberships).equals(new HashSet<>(other.memberships));
    }

    @Override
    public int hashCode() {
        return Objects.hash(new HashSet<>(managers.values()), new HashSet<>(units.values()), new HashSet<>(unitLinks),
                new HashSet<>(memberships));
    }

    @Override
    public String toString() {
        return "OrgStructure[" + managers.size() + " managers, " + units.size() + " units, " + unitLinks.size()
                + " links, " + memberships.size() + " memberships]";
    }

    /**
     * Collects managers, units and edges; {@link #build()} validates the whole graph. It takes
     * the same identifier types as queries and results ({@link ManagerId}, {@link UnitId}), so
     * one id value goes from the org into a funnel query and comes back on its result.
     */
    public static final class Builder {
        private final List<Manager> managers = new ArrayList<>();
        private final List<OrgUnit> units = new ArrayList<>();
        private final List<UnitLink> links = new ArrayList<>();
        private final List<Membership> memberships = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a manager.
         *
         * @param manager the manager
         * @return this builder
         */
        public Builder manager(Manager manager) {
            managers.add(Objects.requireNonNull(manager, "manager"));
            return this;
        }

        /**
         * Adds a manager.
         *
         * @param id the manager id
         * @param name the display name
         * @return this builder
         */
        public Builder manager(ManagerId id, String name) {
            return manager(new Manager(id, name));
        }

        /**
         * Adds a unit.
         *
         * @param unit the unit
         * @return this builder
         */
        public Builder unit(OrgUnit unit) {
            units.add(Objects.requireNonNull(unit, "unit"));
            return this;
        }

        /**
         * Adds a unit.
         *
         * @param id the unit id
         * @param name the display name
         * @param kind the kind
         * @return this builder
         */
        public Builder unit(UnitId id, String name, UnitKind kind) {
            return unit(new OrgUnit(id, name, kind));
        }

        /**
         * Puts a unit under a parent unit.
         *
         * @param child the child unit id
         * @param parent the parent unit id
         * @return this builder
         */
        public Builder link(UnitId child, UnitId parent) {
            links.add(new UnitLink(child, parent));
            return this;
        }

        /**
         * Makes a manager a member of a unit.
         *
         * @param manager the manager id
         * @param unit the unit id
         * @return this builder
         */
        public Builder member(ManagerId manager, UnitId unit) {
            memberships.add(new Membership(manager, unit));
            return this;
        }

        /**
         * Validates and builds the structure.
         *
         * @return the structure
         * @throws ValidationException on duplicate ids, unknown references or a cycle
         */
        public OrgStructure build() {
            return new OrgStructure(managers, units, links, memberships);
        }
    }
}
