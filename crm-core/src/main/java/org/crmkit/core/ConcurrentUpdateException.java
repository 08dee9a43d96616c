package org.crmkit.core;

/**
 * An optimistic-locking conflict: the caller updated an entity from a version that is no
 * longer the stored one. Nothing was written; reload the entity and apply the change again.
 * Also a write of an unversioned whole (a process, the org structure, plans) that could not
 * take its turn because another writer held the store longer than the database waits; nothing
 * was written, and the write can simply be repeated.
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
     * Creates a conflict of an unversioned write that could not take its turn.
     *
     * @param kind the kind of entity, e.g. {@code "org structure"}
     * @param id its identifier, or what was being written
     * @param cause the database's lock failure
     */
    public ConcurrentUpdateException(String kind, Object id, Throwable cause) {
        super("saving " + kind + " " + id + " waited too long for a concurrent write of it; nothing was written,"
                + " repeat the save", cause);
        this.expectedVersion = -1;
        this.actualVersion = -1;
    }

    /**
     * The version the rejected update was based on ({@code -1} for an unversioned write).
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
