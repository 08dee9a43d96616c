package org.crmkit.core;

/**
 * A node of the org structure: a single manager or a unit. Plans, funnels and forecasts
 * are asked for a node; {@link OrgStructure#membersOf(OrgNodeId)} resolves it to the set of
 * managers whose opportunities it covers.
 */
public sealed interface OrgNodeId permits ManagerId, UnitId {
    /**
     * The identifier text.
     *
     * @return the identifier text
     */
    String value();

    /**
     * A stable text key that tells managers and units apart, e.g. {@code "manager:m1"} or
     * {@code "unit:sales"}; used as a map key in JSON and as a column value in stores.
     *
     * @return the key
     */
    default String key() {
        return (this instanceof ManagerId ? "manager:" : "unit:") + value();
    }

    /**
     * Parses a {@link #key()}.
     *
     * @param key a key such as {@code "manager:m1"} or {@code "unit:sales"}
     * @return the node id
     * @throws ValidationException when the key has neither prefix
     */
    static OrgNodeId parse(String key) {
        ValidationException.requireText(key, "orgNode");
        if (key.startsWith("manager:")) {
            return new ManagerId(key.substring("manager:".length()));
        }
        if (key.startsWith("unit:")) {
            return new UnitId(key.substring("unit:".length()));
        }
        throw new ValidationException("orgNode", key, "'manager:<id>' or 'unit:<id>'");
    }
}
