package org.crmkit.core;

/**
 * An optimistic-locking conflict: the caller updated an entity from a version that is no
 * longer the stored one. Nothing was written; reload the entity and apply the change again.
 */
public class ConcurrentUpdateException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final long expectedVersion;
    private final long actualVersion;

    /**
     * Creates a conflict.
     *
     * @param kind the kind of entity, e.g. {@code "opportunity"}
     * @param id its identifier
     * @param expectedVersion the version the caller based the update on
     * @param actualVersion the version currently stored ({@code -1} when it was deleted)
     */
    public ConcurrentUpdateException(String kind, Object id, long expectedVersion, long actualVersion) {
        super(kind + " " + id + " was modified concurrently: update based on version " + expectedVersion
                + " but the stored version is " + (actualVersion < 0 ? "gone (deleted)" : String.valueOf(actualVersion)));
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /**
     * The version the rejected update was based on.
     *
     * @return the expected version
     */
    public long expectedVersion() {
        return expectedVersion;
    }

    /**
     * The version found in the store, {@code -1} when the entity was deleted.
     *
     * @return the stored version
     */
    public long actualVersion() {
        return actualVersion;
    }
}
