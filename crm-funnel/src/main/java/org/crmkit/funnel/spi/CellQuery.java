package org.crmkit.funnel.spi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.OpportunityFilter;

/**
 * What a {@link FunnelCellSource} is asked: which opportunities (owners, process, creation
 * window, activity window, filter), the instant their state is replayed to, and how they
 * are bucketed. The funnel engine derives it from a funnel query; its meaning does not
 * depend on the counting policy, so one set of cells serves every policy.
 *
 * <p>{@link #factsOf(Opportunity)} is the reference definition of the facts of an
 * opportunity; a store computing them in SQL must give the same result (see
 * {@link FunnelCellSource}).
 *
 * @param owners the owners whose opportunities count, not empty
 * @param process the sales process; only its opportunities count
 * @param until the evaluation instant, exclusive: state is replayed from the transitions
 *     with {@code at < until}
 * @param createdFrom when not null, only opportunities created at or after it count
 * @param createdUntil when not null, only opportunities created before it count
 * @param activityFrom when not null, the activity window {@code [activityFrom, until)}: only
 *     opportunities with a transition in it count, and the prior state (before
 *     {@code activityFrom}) is reported
 * @param filter the opportunity filter
 * @param bucketBy the date that places an opportunity in a bucket
 * @param buckets the buckets, in order, not overlapping; empty exactly when
 *     {@code bucketBy} is {@link BucketBy#NONE}
 * @param zone the zone that turns instants into dates
 */
public record CellQuery(Set<ManagerId> owners, SalesProcess process, Instant until, Instant createdFrom,
        Instant createdUntil, Instant activityFrom, OpportunityFilter filter, BucketBy bucketBy, List<Period> buckets,
        ZoneId zone) {
    /**
     * Validates the query and copies the collections.
     *
     * @throws ValidationException when a value is missing or the windows are empty
     */
    public CellQuery {
        owners = Set.copyOf(ValidationException.requireNonNull(owners, "cellQuery.owners"));
        ValidationException.require(!owners.isEmpty(), "cellQuery.owners", owners, "at least one owner");
        ValidationException.requireNonNull(process, "cellQuery.process");
        ValidationException.requireNonNull(until, "cellQuery.until");
        ValidationException.require(createdFrom == null || createdUntil == null || createdFrom.isBefore(createdUntil),
                "cellQuery.createdUntil", createdUntil, "an instant after createdFrom " + createdFrom);
        ValidationException.require(activityFrom == null || activityFrom.isBefore(until), "cellQuery.activityFrom",
                activityFrom, "an instant before until " + until);
        ValidationException.requireNonNull(filter, "cellQuery.filter");
        ValidationException.requireNonNull(bucketBy, "cellQuery.bucketBy");
        buckets = List.copyOf(ValidationException.requireNonNull(buckets, "cellQuery.buckets"));
        ValidationException.require(buckets.isEmpty() == (bucketBy == BucketBy.NONE), "cellQuery.buckets", buckets,
                "buckets exactly when bucketBy is not NONE");
        for (int i = 1; i < buckets.size(); i++) {
            ValidationException.require(!buckets.get(i).start().isBefore(buckets.get(i - 1).end()),
                    "cellQuery.buckets[" + i + "]", buckets.get(i), "periods in order, not overlapping");
        }
        ValidationException.requireNonNull(zone, "cellQuery.zone");
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
     * The reference definition of an opportunity's facts for this query.
     *
     * @param opp the opportunity (of any owner or process)
     * @return its facts, empty when it is not in the query's population
     * @throws ValidationException when the history holds a stage unknown to the process (naming
     *     the opportunity)
     */
    public Optional<OpportunityFacts> factsOf(Opportunity opp) {
        if (!owners.contains(opp.owner()) || !process.id().equals(opp.processId()) || !filter.test(opp)) {
            return Optional.empty();
        }
        try {
            return factsOfSelected(opp);
        } catch (ValidationException e) {
            throw e.forOpportunity(opp.id());
        }
    }

    private Optional<OpportunityFacts> factsOfSelected(Opportunity opp) {
        Instant created = opp.createdAt();
        if (!created.isBefore(until) || (createdFrom != null && created.isBefore(createdFrom))
                || (createdUntil != null && !created.isBefore(createdUntil))) {
            return Optional.empty();
        }
        int open = process.openStageCount();
        List<StageTransition> ts = opp.transitions();
        long mask = 0;
        long priorMask = 0;
        int stage = -1;
        int priorStage = -1;
        boolean active = activityFrom == null;
        Instant enteredAt = null;
        Instant lastAt = null;
        long[] secondsIn = new long[open];
        boolean[] visited = new boolean[open];
        for (StageTransition t : ts) {
            if (!t.at().isBefore(until)) {
                break;
            }
            if (stage >= 0 && stage < open) {
                secondsIn[stage] = Math.addExact(secondsIn[stage], t.at().getEpochSecond() - enteredAt.getEpochSecond());
                visited[stage] = true;
            }
            stage = process.indexOf(t.to());
            enteredAt = t.at();
            lastAt = t.at();
            if (stage < open) {
                mask |= 1L << stage;
            }
            if (activityFrom != null) {
                if (t.at().isBefore(activityFrom)) {
                    priorStage = stage;
                    priorMask = mask;
                } else {
                    active = true;
                }
            }
        }
        if (stage < 0 || !active) {
            return Optional.empty();
        }
        OpportunityStatus status = stage == open ? OpportunityStatus.WON
                : stage == open + 1 ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
        boolean sameAsNow = opp.status() == status && process.indexOf(opp.stage()) == stage;
        CloseInfo close = status.isClosed() && sameAsNow ? opp.closeInfo().orElse(null) : null;
        LocalDate bucketDate = switch (bucketBy) {
            case NONE -> null;
            case CREATED -> LocalDate.ofInstant(created, zone);
            case CLOSE -> !status.isClosed() ? opp.expectedCloseDate()
                    : close != null ? close.closeDate() : LocalDate.ofInstant(lastAt, zone);
        };
        int bucket = bucketDate == null ? 0 : bucketOf(bucketDate);
        if (bucket < 0) {
            return Optional.empty();
        }
        long amountMinor = opp.amount().map(Amounts::toMinorUnits).orElse(0L);
        int probability = sameAsNow ? opp.probability() : process.stages().get(stage).defaultProbability();
        long revenueMinor = 0;
        if (status == OpportunityStatus.WON) {
            revenueMinor = close != null && close.actualRevenue() != null
                    ? Amounts.toMinorUnits(close.actualRevenue()) : amountMinor;
        }
        long cycleSeconds = status.isClosed() ? Math.max(0, lastAt.getEpochSecond() - created.getEpochSecond()) : -1;
        String reason = close == null ? null : close.reason();
        String competitor = close == null || status != OpportunityStatus.LOST ? null : close.winningCompetitor();
        List<StageTime> times = new ArrayList<>();
        for (int s = 0; s < open; s++) {
            if (visited[s]) {
                times.add(new StageTime(s, secondsIn[s]));
            }
        }
        CellKey key = new CellKey(opp.owner(), status, stage, mask, priorStage, priorMask, opp.currency(), reason,
                competitor, bucket);
        return Optional.of(new OpportunityFacts(opp.id(), key, amountMinor, probability, revenueMinor, cycleSeconds,
                times));
    }
}
