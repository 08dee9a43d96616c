package org.crmkit.funnel.spi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageReplay;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.OpportunityFilter;

/**
 * What a {@link FunnelSource} is asked: which opportunities (owners, process, creation window,
 * activity window, filter), the instant their state is taken at, how they are counted (the
 * policy, and in an activity window only what changed in it) and bucketed. The funnel engine
 * derives it from a funnel query; the answer is one {@link FunnelStats} per owner and bucket.
 *
 * <h2>Population</h2>
 * An opportunity counts when all of these hold: its owner is in {@code owners}, its process is
 * {@code process.id()} and it passes {@code filter}; it was created at or before {@code asOf},
 * at or after {@code createdFrom} when set, before {@code createdUntil} when set; at least one
 * of its transitions is in effect as of {@code asOf} ({@link StageReplay}: at or before it);
 * with an activity window, one of them happened in {@code [activityFrom, asOf]}; with buckets,
 * its bucket date ({@link BucketBy}) falls in one of them.
 *
 * <h2>Counting</h2>
 * With the state as of {@code asOf} ({@link StageReplay}):
 * <ul>
 *   <li><b>reached</b> ({@link #reachedMask}): the policy's reached stages; in an activity window
 *       only those newly reached in it (reached at the end and not before the window);</li>
 *   <li><b>won / lost</b> ({@link #countsClosed}): closed as of {@code asOf}; in an activity
 *       window only when the transition into WON or LOST (the last in effect) happened in it,
 *       also after a reopen;</li>
 *   <li><b>dropped</b>: a counted loss, at its furthest open stage;</li>
 *   <li><b>amounts</b>: the amount in minor units (0 when unknown); the weighted amount is amount
 *       × the opportunity's own probability when its stage as of {@code asOf} is its current
 *       stage, else × that stage's default probability; the won revenue is the actual revenue
 *       when it is still won now, else the amount;</li>
 *   <li><b>durations</b>: the cycle of the counted closes ({@link StageReplay#cycleSeconds}) and
 *       each open stage's finished visits;</li>
 *   <li><b>win/loss</b> (only when {@link #winLoss()}): counted closes by the reason they have
 *       now (when still in the same terminal stage, else none), counted losses by winning
 *       competitor likewise.</li>
 * </ul>
 * {@link FunnelReference} implements these definitions on {@code Opportunity} objects; every
 * source is tested against it (the source contract kit in {@code crm-testkit}).
 *
 * @param owners the owners whose opportunities count, not empty
 * @param process the sales process; only its opportunities count, read with its stage order
 * @param asOf the instant of the state, inclusive
 * @param createdFrom when not null, only opportunities created at or after it count
 * @param createdUntil when not null, only opportunities created before it count
 * @param activityFrom when not null, the activity window {@code [activityFrom, asOf]}
 * @param policy the counting policy
 * @param filter the opportunity filter
 * @param bucketBy the date that places an opportunity in a bucket
 * @param buckets the buckets, in order, not overlapping; empty exactly when {@code bucketBy}
 *     is {@link BucketBy#NONE}
 * @param zone the zone that turns instants into dates
 * @param winLoss whether to fill the win/loss side tables of the stats
 */
public record AggregateQuery(Set<ManagerId> owners, SalesProcess process, Instant asOf, Instant createdFrom,
        Instant createdUntil, Instant activityFrom, CountingPolicy policy, OpportunityFilter filter, BucketBy bucketBy,
        List<Period> buckets, ZoneId zone, boolean winLoss) {
    /**
     * Validates the query and copies the collections.
     *
     * @throws ValidationException when a value is missing or a window is empty
     */
    public AggregateQuery {
        owners = Set.copyOf(ValidationException.requireNonNull(owners, "aggregateQuery.owners"));
        ValidationException.require(!owners.isEmpty(), "aggregateQuery.owners", owners, "at least one owner");
        ValidationException.requireNonNull(process, "aggregateQuery.process");
        ValidationException.requireNonNull(asOf, "aggregateQuery.asOf");
        ValidationException.require(createdFrom == null || createdUntil == null || createdFrom.isBefore(createdUntil),
                "aggregateQuery.createdUntil", createdUntil, "an instant after createdFrom " + createdFrom);
        ValidationException.require(activityFrom == null || !activityFrom.isAfter(asOf),
                "aggregateQuery.activityFrom", activityFrom, "an instant not after asOf " + asOf);
        ValidationException.requireNonNull(policy, "aggregateQuery.policy");
        ValidationException.requireNonNull(filter, "aggregateQuery.filter");
        ValidationException.requireNonNull(bucketBy, "aggregateQuery.bucketBy");
        buckets = List.copyOf(ValidationException.requireNonNull(buckets, "aggregateQuery.buckets"));
        ValidationException.require(buckets.isEmpty() == (bucketBy == BucketBy.NONE), "aggregateQuery.buckets",
                buckets, "buckets exactly when bucketBy is not NONE");
        for (int i = 1; i < buckets.size(); i++) {
            ValidationException.require(!buckets.get(i).start().isBefore(buckets.get(i - 1).end()),
                    "aggregateQuery.buckets[" + i + "]", buckets.get(i), "periods in order, not overlapping");
        }
        ValidationException.require(buckets.size() < 0xFFFF, "aggregateQuery.buckets", buckets.size(),
                "fewer than 65535 buckets");
        ValidationException.requireNonNull(zone, "aggregateQuery.zone");
    }

    /**
     * Starts a query of some owners' opportunities of a process as of an instant; defaults:
     * no windows, LINEAR, no filter, no buckets, UTC, no win/loss tables.
     *
     * @param owners the owners
     * @param process the process
     * @param asOf the instant, inclusive
     * @return the builder
     */
    public static Builder builder(Set<ManagerId> owners, SalesProcess process, Instant asOf) {
        return new Builder(owners, process, asOf);
    }

    /**
     * A builder holding this query, to derive a changed copy.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(owners, process, asOf);
        b.createdFrom = createdFrom;
        b.createdUntil = createdUntil;
        b.activityFrom = activityFrom;
        b.policy = policy;
        b.filter = filter;
        b.bucketBy = bucketBy;
        b.buckets = buckets;
        b.zone = zone;
        b.winLoss = winLoss;
        return b;
    }

    /**
     * The number of open stages of the process.
     *
     * @return the count
     */
    public int openStages() {
        return process.openStageCount();
    }

    /**
     * The number of buckets the answer has: 1 without bucketing.
     *
     * @return the count
     */
    public int bucketCount() {
        return bucketBy == BucketBy.NONE ? 1 : buckets.size();
    }

    /**
     * Whether the query has an activity window.
     *
     * @return true when {@code activityFrom} is set
     */
    public boolean hasActivityWindow() {
        return activityFrom != null;
    }

    /**
     * A fresh replay configured for this query (its process, instant and window).
     *
     * @return the replay
     */
    public StageReplay newReplay() {
        return new StageReplay(openStages(), asOf, activityFrom);
    }

    /**
     * The bucket index of a date.
     *
     * @param date the date
     * @return the index of the bucket holding it, {@code -1} when none does; {@code 0} without bucketing
     */
    public int bucketOf(LocalDate date) {
        if (bucketBy == BucketBy.NONE) {
            return 0;
        }
        int lo = 0;
        int hi = buckets.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Period p = buckets.get(mid);
            if (date.isBefore(p.start())) {
                hi = mid - 1;
            } else if (!date.isBefore(p.end())) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * The open stages that count as reached, from the state's columns.
     *
     * @param enteredMask the open stages entered as of {@code asOf}
     * @param stage the stage index as of {@code asOf}
     * @param priorStage the stage just before the activity window, {@code -1} when none
     * @param priorEnteredMask the open stages entered before the activity window
     * @return the mask of reached stages
     */
    public long reachedMask(long enteredMask, int stage, int priorStage, long priorEnteredMask) {
        int n = openStages();
        long now = policy.reachedMask(enteredMask, stage == n, n);
        if (activityFrom == null || priorStage < 0) {
            return now;
        }
        return now & ~policy.reachedMask(priorEnteredMask, priorStage == n, n);
    }

    /**
     * The open stages a replayed state counts as reached.
     *
     * @param state the state as of {@code asOf} (replayed with {@link #newReplay})
     * @return the mask of reached stages
     */
    public long reachedMask(StageReplay state) {
        return reachedMask(state.enteredMask(), state.stage(), state.priorStage(), state.priorEnteredMask());
    }

    /**
     * Whether a closed state counts as won or lost: always, and in an activity window only
     * when the transition into the terminal stage happened in it.
     *
     * @param stage the stage index as of {@code asOf}
     * @param lastAtNanos when the last transition in effect happened, epoch nanoseconds
     * @return true when it counts
     */
    public boolean countsClosed(int stage, long lastAtNanos) {
        return stage >= openStages()
                && (activityFrom == null || lastAtNanos >= StageReplay.saturatedNanos(activityFrom));
    }

    /**
     * Whether a replayed state counts as won or lost.
     *
     * @param state the state as of {@code asOf}
     * @return true when it counts
     */
    public boolean countsClosed(StageReplay state) {
        return countsClosed(state.stage(), state.lastAtNanos());
    }

    /**
     * A copy asking for other owners.
     *
     * @param newOwners the owners
     * @return the copy
     */
    public AggregateQuery withOwners(Set<ManagerId> newOwners) {
        return toBuilder().owners(newOwners).build();
    }

    /** Collects the parts of an {@link AggregateQuery}; {@link #build()} validates them. */
    public static final class Builder {
        private Set<ManagerId> owners;
        private SalesProcess process;
        private final Instant asOf;
        private Instant createdFrom;
        private Instant createdUntil;
        private Instant activityFrom;
        private CountingPolicy policy = CountingPolicy.LINEAR;
        private OpportunityFilter filter = OpportunityFilter.any();
        private BucketBy bucketBy = BucketBy.NONE;
        private List<Period> buckets = List.of();
        private ZoneId zone = java.time.ZoneOffset.UTC;
        private boolean winLoss;

        private Builder(Set<ManagerId> owners, SalesProcess process, Instant asOf) {
            this.owners = owners;
            this.process = process;
            this.asOf = asOf;
        }

        /**
         * Sets the owners.
         *
         * @param value the owners
         * @return this builder
         */
        public Builder owners(Set<ManagerId> value) {
            this.owners = value;
            return this;
        }

        /**
         * Sets the process.
         *
         * @param value the process
         * @return this builder
         */
        public Builder process(SalesProcess value) {
            this.process = value;
            return this;
        }

        /**
         * Sets the creation window {@code [from, until)}; either may be null.
         *
         * @param from the first creation instant counted, or null
         * @param until the first creation instant not counted, or null
         * @return this builder
         */
        public Builder created(Instant from, Instant until) {
            this.createdFrom = from;
            this.createdUntil = until;
            return this;
        }

        /**
         * Sets the start of the activity window {@code [from, asOf]}.
         *
         * @param from the window start, or null for none
         * @return this builder
         */
        public Builder activityFrom(Instant from) {
            this.activityFrom = from;
            return this;
        }

        /**
         * Sets the counting policy.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder policy(CountingPolicy value) {
            this.policy = value;
            return this;
        }

        /**
         * Sets the filter.
         *
         * @param value the filter
         * @return this builder
         */
        public Builder filter(OpportunityFilter value) {
            this.filter = value;
            return this;
        }

        /**
         * Sets the buckets.
         *
         * @param by the date that places an opportunity in a bucket
         * @param periods the buckets, in order
         * @return this builder
         */
        public Builder buckets(BucketBy by, List<Period> periods) {
            this.bucketBy = Objects.requireNonNull(by, "by");
            this.buckets = periods;
            return this;
        }

        /**
         * Sets the zone that turns instants into dates.
         *
         * @param value the zone
         * @return this builder
         */
        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        /**
         * Sets whether the win/loss side tables are filled.
         *
         * @param value true to fill them
         * @return this builder
         */
        public Builder winLoss(boolean value) {
            this.winLoss = value;
            return this;
        }

        /**
         * Validates and builds the query.
         *
         * @return the query
         * @throws ValidationException when a value is missing or a window is empty
         */
        public AggregateQuery build() {
            return new AggregateQuery(owners, process, asOf, createdFrom, createdUntil, activityFrom, policy, filter,
                    bucketBy, buckets, zone, winLoss);
        }
    }
}
