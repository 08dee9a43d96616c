package org.crmkit.funnel.spi;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageReplay;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.FunnelStats.Count;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.FunnelStats.Money;

/**
 * The reference definition of a {@link FunnelSource}'s answer, written plainly on
 * {@link Opportunity} objects: one opportunity at a time, its state replayed with
 * {@link StageReplay}, its contribution added by the definitions of {@link AggregateQuery}. Every
 * source is tested against it; a source that holds opportunity objects (e.g. a store without a
 * query language) can answer with it directly.
 *
 * <p>An opportunity enters as it was at the query's instant: one whose tracked values changed
 * after it ({@link Opportunity#changedAfter}) is reconstructed ({@link Opportunity#asOf}), so its
 * owner, amount, currency, probability and close date are those of then (a deal moved from one
 * manager to another counts for the first before the move and for the second after). A
 * reconstructed deal is in its stage of then, so its probability is the one it had then; a deal
 * whose values did not change since keeps the definition of a replayed stage (the stage's
 * default probability, its current amount).
 */
public final class FunnelReference {
    private FunnelReference() {
    }

    /**
     * One opportunity's state and place under a query, or null when it is not in the
     * population.
     *
     * @param query the query
     * @param opp the opportunity
     * @param replay a replay configured for the query ({@link AggregateQuery#newReplay})
     * @return the bucket index, or {@code -1} when the opportunity is not in the population;
     *     the replay then holds its state
     */
    private static int place(AggregateQuery query, Opportunity opp, StageReplay replay) {
        if (opp == null) {
            return -1; // it did not exist yet at the query's instant
        }
        if (!query.owners().contains(opp.owner()) || !query.process().id().equals(opp.processId())
                || !query.filter().test(opp)) {
            return -1;
        }
        if (!StageReplay.inEffect(opp.createdAt(), query.asOf())
                || (query.createdFrom() != null && opp.createdAt().isBefore(query.createdFrom()))
                || (query.createdUntil() != null && !opp.createdAt().isBefore(query.createdUntil()))) {
            return -1;
        }
        replay.replay(opp, query.process());
        if (replay.stage() < 0 || (query.hasActivityWindow() && !replay.changedInWindow())) {
            return -1;
        }
        LocalDate bucketDate = switch (query.bucketBy()) {
            case NONE -> null;
            case CREATED -> LocalDate.ofInstant(opp.createdAt(), query.zone());
            // a close is placed by the day of its closing transition in the query's zone, never by
            // CloseInfo.closeDate: the one datum every period of every module is cut from
            case CLOSE -> replay.isClosed() ? LocalDate.ofInstant(replay.lastAt(), query.zone())
                    : opp.expectedCloseDate();
        };
        return bucketDate == null ? 0 : query.bucketOf(bucketDate);
    }

    /**
     * The opportunity as the query sees it: as it was at the query's instant when a tracked
     * value changed after it, else itself.
     *
     * @param query the query
     * @param opp the opportunity
     * @return the opportunity then, or null when it did not exist yet
     */
    public static Opportunity asQueried(AggregateQuery query, Opportunity opp) {
        return opp.changedAfter(query.asOf()) ? opp.asOf(query.asOf()).orElse(null) : opp;
    }

    /** Whether the state as of the query is the opportunity's current stage. */
    private static boolean sameAsNow(Opportunity opp, SalesProcess process, StageReplay replay) {
        return process.indexOf(opp.stage()) == replay.stage();
    }

    /** The close info that holds as of the query: the current one when still in that terminal stage. */
    private static CloseInfo closeInfoAsOf(Opportunity opp, SalesProcess process, StageReplay replay) {
        return replay.isClosed() && sameAsNow(opp, process, replay) ? opp.closeInfo().orElse(null) : null;
    }

    /**
     * The answer to a query over some opportunities.
     *
     * @param query the query
     * @param opportunities the opportunities (of any owners and processes)
     * @return the stats per owner and bucket
     * @throws org.crmkit.core.ValidationException when the history of an opportunity in the
     *     population holds a stage unknown to the process
     */
    public static OwnerAggregates<FunnelStats> aggregate(AggregateQuery query, Stream<Opportunity> opportunities) {
        Accumulator acc = accumulator(query);
        opportunities.forEachOrdered(acc::add);
        return acc.result();
    }

    /**
     * A mutable accumulator of the answer to a query, fed one opportunity at a time (e.g. by a
     * store that holds opportunity objects, or by each member of a cluster for its entries).
     * The answers of disjoint sets of opportunities add up ({@link OwnerAggregates#plus}) to
     * the answer of their union.
     *
     * @param query the query
     * @return an empty accumulator
     */
    public static Accumulator accumulator(AggregateQuery query) {
        return new Accumulator(Objects.requireNonNull(query, "query"));
    }

    /** Accumulates the answer to one query; not thread-safe (one per thread, then add the results). */
    public static final class Accumulator {
        private final AggregateQuery query;
        private final StageReplay replay;
        private final Map<ManagerId, FunnelStats.Builder[]> parts = new HashMap<>();

        private Accumulator(AggregateQuery query) {
            this.query = query;
            this.replay = query.newReplay();
        }

        /**
         * Adds an opportunity, as it was at the query's instant (ignored when it is not in the
         * query's population then).
         *
         * @param given the opportunity
         * @return this accumulator
         * @throws org.crmkit.core.ValidationException when the history of an opportunity in the
         *     population holds a stage unknown to the process
         */
        public Accumulator add(Opportunity given) {
            Opportunity opp = asQueried(query, given);
            int bucket = place(query, opp, replay);
            if (bucket < 0) {
                return this;
            }
            FunnelStats.Builder[] bs = parts.computeIfAbsent(opp.owner(),
                    o -> new FunnelStats.Builder[query.bucketCount()]);
            if (bs[bucket] == null) {
                bs[bucket] = FunnelStats.builder(query.openStages());
            }
            FunnelReference.add(query, opp, replay, bs[bucket]);
            return this;
        }

        /**
         * The answer so far.
         *
         * @return the stats per owner and bucket
         */
        public OwnerAggregates<FunnelStats> result() {
            OwnerAggregates.Builder<FunnelStats> out = OwnerAggregates.builder(query.bucketCount());
            parts.forEach((owner, bs) -> {
                for (int b = 0; b < bs.length; b++) {
                    if (bs[b] != null) {
                        out.add(owner, b, bs[b].build());
                    }
                }
            });
            return out.build();
        }
    }

    /** Adds one opportunity of the population, in the state the replay holds. */
    private static void add(AggregateQuery query, Opportunity opp, StageReplay replay, FunnelStats.Builder b) {
        SalesProcess process = query.process();
        int n = process.openStageCount();
        CurrencyUnit currency = opp.currency();
        long amount = opp.amount().map(Amounts::toMinorUnits).orElse(0L);
        int stage = replay.stage();
        boolean sameAsNow = sameAsNow(opp, process, replay);
        b.addCount(Count.COUNT, 1);
        long reached = query.reachedMask(replay);
        for (long m = reached; m != 0; m &= m - 1) {
            int s = Long.numberOfTrailingZeros(m);
            b.addCount(Count.REACHED, s, 1);
            b.addMinor(Money.REACHED_AMOUNT, s, currency, amount);
        }
        if (stage < n) {
            int probability = sameAsNow ? opp.probability() : process.stages().get(stage).defaultProbability();
            long weighted = AmountOverflowException.multiply(amount, probability, "weighted amount");
            b.addCount(Count.OPEN, 1);
            b.addCount(Count.AT, stage, 1);
            b.addMinor(Money.AT_AMOUNT, stage, currency, amount);
            b.addMinor(Money.AT_WEIGHTED, stage, currency, weighted);
            b.addMinor(Money.OPEN_AMOUNT, currency, amount);
            b.addMinor(Money.OPEN_WEIGHTED, currency, weighted);
        } else if (query.countsClosed(replay)) {
            CloseInfo close = closeInfoAsOf(opp, process, replay);
            long cycle = replay.cycleSeconds(StageReplay.nanos(opp.createdAt()));
            b.addDuration(Duration.CYCLE, 0, cycle);
            OpportunityStatus status = replay.status();
            long minor;
            if (status == OpportunityStatus.WON) {
                minor = close != null && close.actualRevenue() != null ? Amounts.toMinorUnits(close.actualRevenue())
                        : amount;
                b.addCount(Count.WON, 1);
                b.addDuration(Duration.WON_CYCLE, 0, cycle);
                b.addMinor(Money.WON_REVENUE, currency, minor);
                for (long m = reached; m != 0; m &= m - 1) {
                    b.addCount(Count.WON_REACHED, Long.numberOfTrailingZeros(m), 1);
                }
            } else {
                minor = amount;
                b.addCount(Count.LOST, 1);
                b.addMinor(Money.LOST_AMOUNT, currency, amount);
                int furthest = replay.furthestOpenStage();
                if (furthest >= 0) {
                    b.addCount(Count.DROPPED, furthest, 1);
                    b.addMinor(Money.DROPPED_AMOUNT, furthest, currency, amount);
                }
                for (long m = reached; m != 0; m &= m - 1) {
                    b.addCount(Count.LOST_REACHED, Long.numberOfTrailingZeros(m), 1);
                }
            }
            if (query.winLoss()) {
                b.addClose(status, close == null ? null : close.reason(),
                        close == null || status != OpportunityStatus.LOST ? null : close.winningCompetitor(), currency,
                        1, minor);
            }
        }
        for (long v = replay.visitedMask(); v != 0; v &= v - 1) {
            int s = Long.numberOfTrailingZeros(v);
            b.addDuration(Duration.TIME_IN_STAGE, s, replay.secondsIn(s));
        }
    }

    /**
     * Whether an opportunity of the population belongs to a measure (the drill-down
     * definition, consistent with the counts of {@link #aggregate}).
     *
     * @param query the query
     * @param opp the opportunity
     * @param measure the measure
     * @param stage the open stage of a per-stage measure
     * @return true when the opportunity is in the population and belongs to the measure
     */
    public static boolean matches(AggregateQuery query, Opportunity opp, FunnelMeasure measure, int stage) {
        StageReplay replay = query.newReplay();
        return place(query, asQueried(query, opp), replay) >= 0 && matches(query, replay, measure, stage);
    }

    /**
     * Whether a replayed state of the population belongs to a measure.
     *
     * @param query the query
     * @param state the state as of the query ({@link AggregateQuery#newReplay})
     * @param measure the measure
     * @param stage the open stage of a per-stage measure
     * @return true when it belongs to the measure
     */
    public static boolean matches(AggregateQuery query, StageReplay state, FunnelMeasure measure, int stage) {
        return matches(query, measure, stage, state.stage(), state.enteredMask(), state.priorStage(),
                state.priorEnteredMask(), state.lastAtNanos());
    }

    /**
     * Whether a state of the population, given by its columns, belongs to a measure (the form
     * columnar sources use).
     *
     * @param query the query
     * @param measure the measure
     * @param stage the open stage of a per-stage measure
     * @param st the stage index as of the query
     * @param enteredMask the open stages entered as of the query
     * @param priorStage the stage before the activity window, {@code -1} when none
     * @param priorEnteredMask the open stages entered before the activity window
     * @param lastAtNanos when the last transition in effect happened, epoch nanoseconds
     * @return true when it belongs to the measure
     */
    public static boolean matches(AggregateQuery query, FunnelMeasure measure, int stage, int st, long enteredMask,
            int priorStage, long priorEnteredMask, long lastAtNanos) {
        Objects.requireNonNull(measure, "measure");
        int n = query.openStages();
        return switch (measure) {
            case POPULATION -> true;
            case REACHED -> (query.reachedMask(enteredMask, st, priorStage, priorEnteredMask) & (1L << stage)) != 0;
            case AT -> st == stage && st < n;
            case OPEN -> st < n;
            case WON -> st == n && query.countsClosed(st, lastAtNanos);
            case LOST -> st == n + 1 && query.countsClosed(st, lastAtNanos);
            case DROPPED -> st == n + 1 && query.countsClosed(st, lastAtNanos)
                    && 63 - Long.numberOfLeadingZeros(enteredMask) == stage;
        };
    }

    /**
     * The ids behind a measure over some opportunities.
     *
     * @param query the query
     * @param measure the measure
     * @param stage the open stage of a per-stage measure
     * @param opportunities the opportunities
     * @return the ids of those in the population that belong to the measure
     */
    public static Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage,
            Stream<Opportunity> opportunities) {
        StageReplay replay = query.newReplay();
        // one replay for the whole stream: it is read one opportunity at a time
        return opportunities.sequential()
                .filter(o -> place(query, asQueried(query, o), replay) >= 0 && matches(query, replay, measure, stage))
                .map(Opportunity::id);
    }
}
