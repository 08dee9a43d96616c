package org.crmkit.core.spi;

/**
 * How {@link OpportunityRepository#upsertAll} treats the versions of the opportunities it is
 * given. Either way, of the opportunities the mode accepts, one whose id is not stored is
 * inserted, one whose content equals the stored copy is left alone (its version unchanged,
 * counted as unchanged), and any other replaces the stored copy at the next version; the
 * constants say which opportunities each mode accepts (the others are its conflicts).
 */
public enum UpsertMode {
    /**
     * The optimistic rules of {@link OpportunityRepository#update}: version 0 means "new", so a
     * stored id is a conflict; version {@code v} means "read at {@code v}", so it replaces the
     * stored copy only when that is still at {@code v}, and a stored copy at another version, or
     * none (deleted since), is a conflict. For an application that read what it writes back.
     */
    CHECK_VERSIONS,
    /**
     * The batch is the system of record (a nightly sync from another system, which knows no
     * versions): the given version is ignored, a stored copy is replaced whatever its version,
     * and nothing is a conflict. Changes made in the store since are overwritten, as a sync from
     * the source of truth intends.
     */
    SOURCE_WINS;

    /** What an upsert does with one opportunity of its batch. */
    public enum Decision {
        /** Store it at version 1. */
        INSERT,
        /** Replace the stored copy, at its version + 1. */
        UPDATE,
        /** Write nothing: the stored copy holds the same content. */
        UNCHANGED,
        /** Write nothing and report it: the versions disagree. */
        CONFLICT
    }

    /**
     * The decision for one opportunity, the one rule every store applies.
     *
     * @param givenVersion the version the opportunity carries
     * @param storedVersion the version stored under its id, 0 when none is
     * @param sameContent whether the stored copy holds the same content (only read when one is stored)
     * @return what to do
     */
    public Decision decide(long givenVersion, long storedVersion, boolean sameContent) {
        if (storedVersion == 0) {
            return this == SOURCE_WINS || givenVersion == 0 ? Decision.INSERT : Decision.CONFLICT;
        }
        if (this == CHECK_VERSIONS && givenVersion != storedVersion) {
            return Decision.CONFLICT;
        }
        return sameContent ? Decision.UNCHANGED : Decision.UPDATE;
    }
}
