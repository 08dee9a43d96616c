package org.crmkit.core;

import java.util.Objects;

/**
 * Who is looking, and how far they may see: a manager or a unit with a {@link Reach}. A viewer
 * is resolved against an org structure into a {@link Visibility}, the set of owners whose deals
 * it may see; every store view and engine built with that visibility counts, lists and exports
 * those deals only.
 *
 * <p>The rules, beside Salesforce's (docs/design.md, "Tenants and visibility"):
 * <ul>
 *   <li>{@link Reach#OWN}: a manager sees the deals they own (Salesforce: a user with private
 *       org-wide defaults and no role above anyone); a unit sees the deals of its direct
 *       members.</li>
 *   <li>{@link Reach#UNIT_AND_BELOW}: a manager sees the deals of every member of every unit
 *       they belong to and of all units below those (Salesforce: "grant access using
 *       hierarchies", for a role that heads its units; crmkit has no separate head role, so
 *       colleagues in the same unit are visible too); a unit sees every member below it.</li>
 *   <li>{@link Reach#ALL}: the whole book of the tenant (Salesforce: "View All Data").</li>
 * </ul>
 *
 * @param node the manager or unit looking
 * @param reach how far it sees
 */
public record Viewer(OrgNodeId node, Reach reach) {
    /** How far a viewer sees. */
    public enum Reach {
        /** Own deals (a manager), or the direct members' deals (a unit). */
        OWN,
        /** Own units and every unit below them. */
        UNIT_AND_BELOW,
        /** The whole book. */
        ALL
    }

    /**
     * Validates the viewer.
     *
     * @throws NullPointerException when a value is missing
     */
    public Viewer {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(reach, "reach");
    }

    /**
     * A viewer who sees their own deals.
     *
     * @param manager the manager
     * @return the viewer
     */
    public static Viewer own(ManagerId manager) {
        return new Viewer(manager, Reach.OWN);
    }

    /**
     * A viewer who sees their units and everything below.
     *
     * @param node a manager (their units) or a unit
     * @return the viewer
     */
    public static Viewer unitAndBelow(OrgNodeId node) {
        return new Viewer(node, Reach.UNIT_AND_BELOW);
    }

    /**
     * A viewer who sees the whole book.
     *
     * @param node who it is
     * @return the viewer
     */
    public static Viewer all(OrgNodeId node) {
        return new Viewer(node, Reach.ALL);
    }

    @Override
    public String toString() {
        return node + " (" + reach.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
    }
}
