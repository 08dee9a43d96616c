package org.crmkit.core.spi;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ValidationException;

/**
 * Stores opportunities whole: an opportunity with its competitors, participants, leads,
 * product lines, history and stage transitions is written in one atomic step or not at all.
 *
 * <p>Optimistic locking: {@link Opportunity#version()} is 0 for an opportunity never stored.
 * {@link #insert} stores version 1; {@link #update} succeeds only when the caller's version
 * is the stored one and stores version + 1. Writers get the stored copy back and keep it for
 * their next update. Before writing, a store checks the opportunity against its process
 * ({@link Opportunity#requireConformsTo}); the process must be stored.
 */
public interface OpportunityRepository {
    /**
     * Stores a new opportunity.
     *
     * @param opportunity an opportunity with version 0
     * @return the stored copy, version 1
     * @throws ValidationException when the version is not 0, the id is taken, or the
     *     opportunity does not conform to its (stored) process
     */
    Opportunity insert(Opportunity opportunity);

    /**
     * Replaces a stored opportunity.
     *
     * @param opportunity the changed opportunity, carrying the version it was read at
     * @return the stored copy with the next version
     * @throws ConcurrentUpdateException when the stored version differs (or it was deleted);
     *     nothing is written
     * @throws ValidationException when the opportunity does not conform to its process
     */
    Opportunity update(Opportunity opportunity);

    /**
     * Inserts when the version is 0, else updates.
     *
     * @param opportunity the opportunity
     * @return the stored copy
     */
    default Opportunity save(Opportunity opportunity) {
        return opportunity.version() == 0 ? insert(opportunity) : update(opportunity);
    }

    /**
     * Stores many new opportunities at once: all of them or, on any failure, none.
     *
     * @param opportunities opportunities with version 0 and distinct ids
     * @return how many were stored
     * @throws ValidationException when any of them is invalid or its id is taken; nothing is
     *     stored
     */
    long insertAll(Collection<Opportunity> opportunities);

    /**
     * Reads an opportunity.
     *
     * @param id the id
     * @return the stored opportunity, empty when absent
     */
    Optional<Opportunity> findById(OpportunityId id);

    /**
     * Reads an opportunity that must exist.
     *
     * @param id the id
     * @return the stored opportunity
     * @throws NotFoundException when absent
     */
    default Opportunity get(OpportunityId id) {
        return findById(id).orElseThrow(() -> new NotFoundException("opportunity", id));
    }

    /**
     * Deletes an opportunity.
     *
     * @param id the id
     * @param expectedVersion the version the caller read
     * @throws NotFoundException when absent
     * @throws ConcurrentUpdateException when the stored version differs
     */
    void delete(OpportunityId id, long expectedVersion);

    /**
     * Streams the selected opportunities in id order. Stores that hold data outside the
     * heap stream without loading everything; close the stream (try-with-resources) to
     * release the connection.
     *
     * @param query the selection
     * @return the opportunities
     */
    Stream<Opportunity> stream(OpportunityQuery query);

    /**
     * Counts the selected opportunities.
     *
     * @param query the selection
     * @return the count
     */
    long count(OpportunityQuery query);
}
