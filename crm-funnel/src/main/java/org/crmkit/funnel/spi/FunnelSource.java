package org.crmkit.funnel.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.FunnelMeasure;

/**
 * What a store implements so the funnel engine can report on its opportunities: answer an
 * {@link AggregateQuery} with one {@link FunnelStats} per owner (and bucket) of its population,
 * computed where the data lives: the in-memory columns scan their rows, the JDBC store groups
 * in SQL, a cluster aggregates on its members. The engine rolls any node of the org structure
 * up from these per-owner stats and never looks at the concrete type of a source, so every
 * source is as fast to roll up as any other.
 *
 * <p>The definitions are those of {@link AggregateQuery}; {@link FunnelReference} implements
 * them on opportunity objects, and a source built on opportunity objects can answer with it.
 * The source contract kit of {@code crm-testkit} checks a source against it.
 *
 * <p>Implementations must be thread-safe: the engine may ask from several threads.
 */
public interface FunnelSource {
    /**
     * The stats of the query's population, per owner and bucket.
     *
     * @param query the query
     * @return the stats; owners without an opportunity in the population may be absent
     * @throws org.crmkit.core.StorageException when the store fails
     */
    OwnerAggregates<FunnelStats> aggregate(AggregateQuery query);

    /**
     * The ids behind one figure of the query's population, for drill-down: the opportunities
     * of the population that {@link FunnelReference#matches match} the measure (every bucket).
     * The caller closes the stream.
     *
     * @param query the query
     * @param measure the numerator or denominator
     * @param stage the open stage index of a per-stage measure (ignored otherwise)
     * @return the ids, in any order
     * @throws org.crmkit.core.StorageException when the store fails
     */
    Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage);

    /**
     * Counts of what the source holds of a process: opportunities per owner, and per owner
     * those with a stage transition after {@code after}. The engine asks once per query that
     * covers a whole org or the whole book, or takes "now" from its clock, so it can report
     * opportunities outside the org structure and changes after "now" instead of leaving them
     * out silently. Optional: the default answers empty (the source cannot tell), and the
     * engine then reports neither and refuses a query over the whole book.
     *
     * @param process the process
     * @param after the instant after which transitions count as changes
     * @return the counts, empty when the source cannot tell
     * @throws org.crmkit.core.StorageException when the store fails
     */
    default Optional<PopulationSummary> summary(SalesProcess process, Instant after) {
        return Optional.empty();
    }

    /**
     * How many opportunities of a process and of some owners this source counts with their
     * values of today although a tracked value changed after the instant a query asks about:
     * a source that holds no field history (the columns of a book as it is) says so, and the
     * engine puts it on the result ({@code FunnelNotice.Kind.FIELD_CHANGES_NOT_APPLIED}). The
     * default, 0, is the reference definition ({@link FunnelReference}): every deal counts as it
     * was at the query's instant.
     *
     * @param process the process
     * @param owners the owners (of today)
     * @param asOf the query's instant
     * @return the number of deals counted with today's values
     * @throws org.crmkit.core.StorageException when the store fails
     */
    default long countedWithTodaysValues(SalesProcess process, java.util.Set<org.crmkit.core.ManagerId> owners,
            Instant asOf) {
        return 0;
    }

    /**
     * Per owner (of today), how many opportunities of a process existed at an instant although
     * their field history starts after it ({@link org.crmkit.core.Opportunity#historyStartsAfter}:
     * stored before the store kept field history): they count with their values at that start,
     * their values then being unknown, and the engine says so
     * ({@code FunnelNotice.Kind.HISTORY_STARTS_AFTER_AS_OF}). The default, empty, is a source
     * that holds no such deal or cannot tell.
     *
     * @param process the process
     * @param asOf the query's instant
     * @return the counts, owners without such deals absent
     * @throws org.crmkit.core.StorageException when the store fails
     */
    default java.util.Map<org.crmkit.core.ManagerId, Long> historyStartsAfter(SalesProcess process, Instant asOf) {
        return java.util.Map.of();
    }
}
