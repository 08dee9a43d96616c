package org.crmkit.funnel;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.internal.ColumnScan;
import org.crmkit.funnel.internal.ColumnStore;
import org.crmkit.funnel.internal.ForecastScan;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.PopulationSummary;

/**
 * An in-memory opportunity set held as columns for repeated funnel scans: owner, process,
 * currency and client codes, amounts in {@code long} minor units, probabilities, instants as
 * {@code long} nanoseconds and the stage history flattened into primitive arrays, with each
 * owner's rows stored together. Built once from a stream of opportunities.
 *
 * <p>As a {@link FunnelSource}, an aggregate query is one primitive loop over the rows of the
 * query's owners that sums each owner's figures into small dense arrays and hands them out as
 * one {@link FunnelStats} per owner; each row's state is replayed with
 * {@link org.crmkit.core.StageReplay}, or read from its end state (derived once, with the same
 * replay) when its whole history is in effect. Inputs of {@link #parallelThreshold() many rows}
 * are split over the common fork-join pool, each part owning whole owners. The columns never
 * change, so the dashboard's question (a process as of now, every transition in effect, no
 * window, filter or creation bounds) is scanned once per process and policy and then answered
 * from the kept per-owner end states in O(owners), stated as
 * {@link org.crmkit.funnel.spi.AnswerPath#MAINTAINED}.
 *
 * <p>Instants must fall in the years 1678–2261. The columns hold opportunities of any process
 * without checking their stage codes against a process (they do not know the processes): a
 * query of a process that meets a stage code the process does not have fails naming the
 * opportunity; build opportunities with {@code Opportunity.Builder.process(...)}, or read them
 * from a store, to have them checked earlier. Immutable and thread-safe.
 */
public final class OpportunityColumns implements FunnelSource, ForecastSource {
    /** The default row count from which a scan runs in parallel. */
    public static final int DEFAULT_PARALLEL_THRESHOLD = 200_000;

    private final ColumnStore store;
    private final int parallelThreshold;
    /** Per process and policy, the end state of every owner: shared by views of the same columns. */
    private final java.util.concurrent.ConcurrentHashMap<EndStateKey, OwnerAggregates<FunnelStats>> endStates;

    private OpportunityColumns(ColumnStore store, int parallelThreshold,
            java.util.concurrent.ConcurrentHashMap<EndStateKey, OwnerAggregates<FunnelStats>> endStates) {
        this.store = store;
        this.parallelThreshold = parallelThreshold;
        this.endStates = endStates;
    }

    /**
     * Builds the columns from opportunities; the opportunities themselves are not kept, so
     * queries with a custom filter predicate are rejected (see {@link #retaining}).
     *
     * @param opportunities the opportunities (any owners and processes)
     * @return the columns
     * @throws ValidationException when an instant is outside the supported range
     */
    public static OpportunityColumns of(Stream<Opportunity> opportunities) {
        return build(opportunities, false);
    }

    /**
     * Builds the columns and also keeps the opportunities, so that queries with a custom
     * filter predicate can be answered.
     *
     * @param opportunities the opportunities
     * @return the columns
     * @throws ValidationException when an instant is outside the supported range
     */
    public static OpportunityColumns retaining(Stream<Opportunity> opportunities) {
        return build(opportunities, true);
    }

    /**
     * The columns of a book for funnels as of an instant, as every store answers them
     * ({@link org.crmkit.funnel.spi.FunnelReference}): each deal whose tracked values changed
     * after the instant reconstructed from its field history ({@link Opportunity#asOf}: its
     * stage, owner, amount, currency, close date, probability and category of then; deals
     * created later left out), every other deal as it is (a funnel replays its stages to the
     * instant). A funnel as of that instant over them counts each deal for the manager who owned
     * it then, at its amount of then, in every node; the columns of the book as it is
     * ({@link #of}) give today's owners and amounts, and say so in a notice when some deals of
     * the scope changed after the query's instant.
     *
     * @param opportunities the deals as they are now, with their history
     * @param instant the instant
     * @return the columns of the book then
     * @throws ValidationException when an instant is outside the supported range
     */
    public static OpportunityColumns asOf(Stream<Opportunity> opportunities, java.time.Instant instant) {
        Objects.requireNonNull(opportunities, "opportunities");
        Objects.requireNonNull(instant, "instant");
        return build(opportunities.flatMap(o -> o.changedAfter(instant) ? o.asOf(instant).stream() : Stream.of(o)),
                false);
    }

    private static OpportunityColumns build(Stream<Opportunity> opportunities, boolean retain) {
        Objects.requireNonNull(opportunities, "opportunities");
        ColumnStore store = new ColumnStore(retain);
        opportunities.forEachOrdered(store::add);
        store.finish();
        return new OpportunityColumns(store, DEFAULT_PARALLEL_THRESHOLD, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /**
     * The same columns with another parallel threshold.
     *
     * @param rows the row count from which scans run in parallel; 0 always, {@code Integer.MAX_VALUE} never
     * @return a view sharing the columns
     * @throws ValidationException when {@code rows} is negative
     */
    public OpportunityColumns withParallelThreshold(int rows) {
        ValidationException.require(rows >= 0, "parallelThreshold", rows, "a row count >= 0");
        return new OpportunityColumns(store, rows, endStates);
    }

    /**
     * The row count from which scans run in parallel.
     *
     * @return the threshold
     */
    public int parallelThreshold() {
        return parallelThreshold;
    }

    /**
     * The number of opportunities held.
     *
     * @return the size
     */
    public int size() {
        return store.size();
    }

    /**
     * {@inheritDoc}
     *
     * @throws ValidationException when the query has a custom predicate and the columns were
     *     not built {@link #retaining}
     */
    @Override
    public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
        Objects.requireNonNull(query, "query");
        OwnerAggregates<FunnelStats> kept = endState(query);
        return kept != null ? kept : new ColumnScan(store, query).aggregate(parallelThreshold);
    }

    /** The end-state stats of every owner of a process under a policy, with the win/loss tables. */
    private record EndStateKey(SalesProcess process, org.crmkit.funnel.CountingPolicy policy) {
    }

    /**
     * The answer of a query from the end-state aggregates the columns keep, or null when they
     * cannot answer it. The columns never change, so the end state of each process and policy
     * (every transition in effect) is scanned once, on the first query that can use it, and kept:
     * a query with no window, filter, buckets or creation bounds, whose instant is at or after the
     * process's latest transition, is then the kept parts of its owners, O(owners).
     */
    private OwnerAggregates<FunnelStats> endState(AggregateQuery q) {
        if (q.hasActivityWindow() || !q.filter().isAny() || q.bucketBy() != org.crmkit.funnel.spi.BucketBy.NONE
                || q.createdFrom() != null || q.createdUntil() != null) {
            return null;
        }
        PopulationSummary all = store.summary(q.process().id(), q.asOf());
        if (all.latestChange() == null || q.asOf().isBefore(all.latestChange())) {
            return null;
        }
        OwnerAggregates<FunnelStats> parts = endStates.computeIfAbsent(new EndStateKey(q.process(), q.policy()),
                k -> new ColumnScan(store, AggregateQuery.builder(all.opportunities().keySet(), q.process(),
                        all.latestChange()).policy(q.policy()).winLoss(true).build()).aggregate(parallelThreshold));
        OwnerAggregates.Builder<FunnelStats> out = OwnerAggregates.<FunnelStats>builder(1)
                .path(org.crmkit.funnel.spi.AnswerPath.MAINTAINED);
        for (ManagerId owner : q.owners()) {
            FunnelStats part = parts.part(owner, 0);
            if (part != null) {
                out.add(owner, 0, q.winLoss() ? part : part.withoutWinLoss());
            }
        }
        return out.build();
    }

    /**
     * {@inheritDoc}
     *
     * @throws ValidationException when the query has a custom predicate and the columns were
     *     not built {@link #retaining}
     */
    @Override
    public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
        return new ColumnScan(store, Objects.requireNonNull(query, "query")).ids(measure, stage);
    }

    /**
     * {@inheritDoc} One primitive loop per owner over its contiguous rows (owners in parallel
     * from {@link #parallelThreshold()} rows on), with cells packed into {@code long} keys.
     */
    @Override
    public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
        return new ForecastScan(store, Objects.requireNonNull(query, "query")).aggregate(parallelThreshold);
    }

    /** {@inheritDoc} Read from the columns; no opportunity is built. */
    @Override
    public Stream<ForecastDeal> forecastDeals(ForecastQuery query, java.util.Map<javax.money.CurrencyUnit, Long> minValue) {
        return new ForecastScan(store, Objects.requireNonNull(query, "query")).deals(minValue);
    }

    /**
     * {@inheritDoc} The columns hold today's values only; a book as it was at an instant is
     * {@link #asOf}. Free when nothing changed after {@code asOf}.
     */
    @Override
    public long countedWithTodaysValues(SalesProcess process, java.util.Set<ManagerId> owners, Instant asOf) {
        return store.changedAfter(Objects.requireNonNull(process, "process").id(),
                Objects.requireNonNull(owners, "owners"), Objects.requireNonNull(asOf, "asOf"));
    }

    /** {@inheritDoc} Free when no history starts after {@code asOf}. */
    @Override
    public Map<ManagerId, Long> historyStartsAfter(SalesProcess process, Instant asOf) {
        return store.historyStartsAfter(Objects.requireNonNull(process, "process").id(),
                Objects.requireNonNull(asOf, "asOf"));
    }

    /**
     * {@inheritDoc} The columns always tell: counts per owner are computed once per process,
     * and only the rows of owners with a transition after {@code after} are read per call.
     */
    @Override
    public Optional<PopulationSummary> summary(SalesProcess process, Instant after) {
        return Optional.of(store.summary(Objects.requireNonNull(process, "process").id(),
                Objects.requireNonNull(after, "after")));
    }
}
