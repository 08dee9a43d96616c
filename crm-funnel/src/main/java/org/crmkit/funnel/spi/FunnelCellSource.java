package org.crmkit.funnel.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.SalesProcess;

/**
 * What a store implements so the funnel engine can report on its opportunities: answer a
 * {@link CellQuery} with one {@link OpportunityFacts} row per opportunity in the query's
 * population ({@link #facts}), and optionally with the grouped {@link FunnelCells}
 * ({@link #cells}) computed where the data lives (e.g. SQL {@code GROUP BY}). The engine
 * asks for cells to compute figures and for facts only to drill down to ids.
 *
 * <h2>Population</h2>
 * An opportunity belongs to the answer when all of these hold:
 * <ol>
 *   <li>its owner is in {@code owners}, its process is {@code process.id()}, and it passes
 *       {@code filter} (clients and currencies can be pushed down; a custom predicate must
 *       be evaluated on the loaded opportunity, see {@code OpportunityFilter#isStructured});</li>
 *   <li>{@code createdAt < until}; {@code createdAt >= createdFrom} when set;
 *       {@code createdAt < createdUntil} when set;</li>
 *   <li>it has at least one stage transition with {@code at < until};</li>
 *   <li>when {@code activityFrom} is set: at least one transition (the entry at creation
 *       included) has {@code activityFrom <= at < until};</li>
 *   <li>with bucketing, its bucket date (see {@link BucketBy}) falls in one of
 *       {@code buckets}.</li>
 * </ol>
 *
 * <h2>Columns of a cell key (per opportunity)</h2>
 * Let {@code n = process.openStageCount()}, {@code idx(code) = process.indexOf(code)}, and let
 * <em>T</em> be the transitions with {@code at < until} in time order (ties in stored order).
 * <ul>
 *   <li>{@code owner}, {@code currency}: the opportunity's.</li>
 *   <li>{@code stage}: {@code idx(to)} of the last transition of <em>T</em> (the stage as of
 *       {@code until}). {@code status}: WON when {@code stage == n}, LOST when
 *       {@code stage == n + 1}, else OPEN.</li>
 *   <li>{@code enteredMask}: bitwise OR of {@code 1 << idx(to)} over the transitions of
 *       <em>T</em> with {@code idx(to) < n} (SQL: {@code BIT_OR(POWER(2, idx))} or a sum of
 *       distinct powers). Its highest bit is the furthest open stage.</li>
 *   <li>{@code priorStage}, {@code priorEnteredMask}: only when {@code activityFrom} is set,
 *       the same two values computed over the transitions with {@code at < activityFrom}
 *       ({@code -1} and {@code 0} when there is none); otherwise {@code -1} and {@code 0}.</li>
 *   <li>{@code reason}: when the opportunity is closed as of {@code until} and still has the
 *       same terminal stage now, {@code CloseInfo.reason}; otherwise null.
 *       {@code competitor}: likewise {@code CloseInfo.winningCompetitor}, for LOST only.</li>
 *   <li>{@code bucket}: the index in {@code buckets} of the period holding the bucket date
 *       ({@link CellQuery#bucketOf}); 0 without bucketing.</li>
 * </ul>
 *
 * <h2>Measures (summed per cell)</h2>
 * <ul>
 *   <li>{@code count}: 1 per opportunity.</li>
 *   <li>{@code amountMinor}: the amount in minor units of its currency
 *       ({@code amount × 10^fractionDigits}, exact), 0 when the amount is unknown.</li>
 *   <li>{@code weightedPercentMinor}: {@code amountMinor × p}, where {@code p} is the
 *       opportunity's probability (percent) when its stage as of {@code until} is its current
 *       stage, else the default probability of the stage as of {@code until}.</li>
 *   <li>{@code revenueMinor}: for WON as of {@code until}: the actual revenue in minor units
 *       when it is still won now, else its amount; 0 otherwise.</li>
 *   <li>{@code cycle}: for those closed as of {@code until}, one duration of
 *       {@code epochSecond(at of the last transition of T) − epochSecond(createdAt)} seconds;
 *       its day histogram counts {@code floor(seconds / 86400)} (SQL:
 *       {@code GROUP BY ..., cycle_days} then {@link DayHistogram#of(int[], long[])}).</li>
 * </ul>
 *
 * <h2>Time-in-stage cells</h2>
 * For each pair of consecutive transitions {@code (a, b)} of <em>T</em> with
 * {@code idx(a.to) < n}, the opportunity spent {@code epochSecond(b.at) − epochSecond(a.at)}
 * seconds in stage {@code idx(a.to)}; the seconds of one opportunity in one stage are summed
 * over its visits (one {@link StageTime} per stage it left at least once). A cell keyed by
 * (owner, stage, bucket) holds one duration per such opportunity. The last (current) visit
 * does not count: it is not over.
 *
 * <p>{@link CellQuery#factsOf} implements these definitions on an
 * {@code org.crmkit.core.Opportunity}; a store that pushes the computation down should be
 * tested against it.
 *
 * <p>Implementations must be thread-safe: the engine may ask from several threads.
 */
public interface FunnelCellSource {
    /**
     * The facts of every opportunity in the query's population, one row each, in any order.
     * The caller closes the stream.
     *
     * @param query the cell query
     * @return the facts
     * @throws org.crmkit.core.StorageException when the store fails
     */
    Stream<OpportunityFacts> facts(CellQuery query);

    /**
     * The cells of the query's population: the facts grouped by {@link CellKey} and
     * {@link StageTimeKey}. The default aggregates {@link #facts}; a store overrides it to
     * group where the data lives.
     *
     * @param query the cell query
     * @return the cells
     * @throws org.crmkit.core.StorageException when the store fails
     */
    default FunnelCells cells(CellQuery query) {
        try (Stream<OpportunityFacts> facts = facts(query)) {
            return FunnelCells.aggregate(facts);
        }
    }

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
}
