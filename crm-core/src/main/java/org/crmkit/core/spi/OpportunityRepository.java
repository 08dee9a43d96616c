package org.crmkit.core.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.Rejection;
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
     * Replaces a stored opportunity. One given with no {@link Opportunity#changes()} while the
     * stored copy has a field history (a copy built afresh rather than read and changed)
     * continues that history ({@link Opportunity#continuingHistoryOf}) instead of dropping it.
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
     * Stores many new opportunities at once: all of them or, when any is invalid, none.
     * Every invalid opportunity is reported at once (its position, its id and every failure:
     * a version other than 0, an id used twice in the batch or already stored, a process not
     * stored or not conformed to), so one run shows everything to fix.
     *
     * @param opportunities opportunities with version 0 and distinct ids
     * @return how many were stored
     * @throws BatchValidationException listing every invalid opportunity; nothing is stored
     */
    long insertAll(Collection<Opportunity> opportunities);

    /**
     * Stores many new opportunities at once, by {@code mode}: {@link BatchMode#ALL_OR_NOTHING}
     * is {@link #insertAll(Collection)}; {@link BatchMode#STORE_VALID} stores the valid
     * opportunities in one atomic step and returns the rejected ones, each with every failure
     * found in it and its position in {@code opportunities}.
     *
     * <p>The default runs {@link #insertAll(Collection)} and, when it reports rejections,
     * runs it again without them (each round stores nothing or everything it was given, so
     * nothing is stored twice); a store overrides it to check once.
     *
     * @param opportunities opportunities with version 0
     * @param mode what to do with invalid opportunities
     * @return how many were stored and the rejected ones
     * @throws BatchValidationException in {@link BatchMode#ALL_OR_NOTHING} mode, listing every
     *     invalid opportunity; nothing is stored
     */
    default InsertResult insertAll(Collection<Opportunity> opportunities, BatchMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == BatchMode.ALL_OR_NOTHING) {
            return new InsertResult(insertAll(opportunities), List.of());
        }
        List<Opportunity> remaining = new ArrayList<>(Objects.requireNonNull(opportunities, "opportunities"));
        int[] position = new int[remaining.size()];
        for (int i = 0; i < position.length; i++) {
            position[i] = i;
        }
        List<Rejection> rejected = new ArrayList<>();
        while (true) {
            try {
                long inserted = remaining.isEmpty() ? 0 : insertAll(remaining);
                rejected.sort(Comparator.comparingInt(Rejection::index));
                return new InsertResult(inserted, rejected);
            } catch (BatchValidationException e) {
                // Rejections name positions in the round's list: map them back to the batch given.
                boolean[] drop = new boolean[remaining.size()];
                for (Rejection r : e.rejections()) {
                    int original = position[r.index()];
                    rejected.add(r.at(original, "batch[" + original + "]"));
                    drop[r.index()] = true;
                }
                List<Opportunity> next = new ArrayList<>(remaining.size());
                int[] nextPosition = new int[remaining.size()];
                for (int i = 0; i < remaining.size(); i++) {
                    if (!drop[i]) {
                        nextPosition[next.size()] = position[i];
                        next.add(remaining.get(i));
                    }
                }
                remaining = next;
                position = nextPosition;
            }
        }
    }

    /**
     * Writes a batch from a sync in one atomic step: inserts the opportunities whose id is not
     * stored, replaces the stored ones that changed, leaves alone the ones whose content equals
     * the stored copy ({@link Opportunity#sameContentAs}: a change of a decimal's scale alone,
     * {@code 1.5} to {@code 1.50}, is a change), and reports
     * per id what {@code mode} makes a conflict, so a nightly sync needs no read per opportunity.
     *
     * <p>Field history: an opportunity given with no {@link Opportunity#changes()} (a source
     * that keeps none) is compared without them ({@link Opportunity#sameContentApartFromHistoryAs})
     * and, when it replaces the stored copy, continues the stored history with a change for each
     * tracked field it changes, at the time of the write ({@link Opportunity#continuingHistoryOf});
     * one given with a history is the source's whole word and replaces the stored one.
     *
     * <p>Inserted opportunities are stored at version 1, replaced ones at the stored version + 1;
     * unchanged ones keep theirs. In {@link UpsertMode#CHECK_VERSIONS} mode the conflicts are not
     * written and the rest of the batch is; {@link UpsertMode#SOURCE_WINS} has no conflicts. The
     * decision for each opportunity is taken against the state the write replaces (stores lock
     * or serialise what they compare), so a concurrent writer's change is never overwritten
     * unseen in {@link UpsertMode#CHECK_VERSIONS} mode.
     *
     * <p>Invalid opportunities are not conflicts: when any opportunity of the batch uses an id
     * twice, names a process not stored or does not conform to its process, nothing is written
     * and every invalid one is reported at once.
     *
     * @param opportunities the batch; ids distinct
     * @param mode how versions are treated
     * @return how many were inserted, updated and left unchanged, and the conflicts
     * @throws BatchValidationException listing every invalid opportunity; nothing is written
     * @throws org.crmkit.core.StorageException when the store fails; nothing is written
     */
    UpsertResult upsertAll(Collection<Opportunity> opportunities, UpsertMode mode);

    /**
     * Reads an opportunity.
     *
     * @param id the id
     * @return the stored opportunity, empty when absent
     */
    Optional<Opportunity> findById(OpportunityId id);

    /**
     * The owner of a stored opportunity, without reading the opportunity: what a view checks
     * before it lets a viewer change a deal ({@link VisibleStorage}). Stores override the
     * default, which reads the whole opportunity, with a lookup of the one column.
     *
     * @param id the id
     * @return the owner, empty when the id is not stored
     */
    default Optional<org.crmkit.core.ManagerId> ownerOf(OpportunityId id) {
        return findById(id).map(Opportunity::owner);
    }

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
