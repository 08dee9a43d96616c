package org.crmkit.funnel.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.crmkit.core.ManagerId;

/**
 * What a {@link FunnelSource} holds of one process, in counts: the engine uses it to make
 * visible what a query leaves out (opportunities of owners outside the org structure, stage
 * changes after the query's "now") and to answer a query over the whole book.
 *
 * @param opportunities the number of opportunities of the process per owner (owners without
 *     any are absent)
 * @param changedAfter per owner, how many of them have a stage transition after the instant
 *     asked about (owners with none are absent)
 * @param latestChange the latest stage transition of the process, null when it has no
 *     opportunity
 * @param formerOwners managers who may have owned a deal of the process at the instant asked
 *     about and own none now (deals handed over since, by their field history): a funnel of the
 *     whole book as of that instant counts their deals for them; a superset does no harm (a
 *     manager without a deal then adds nothing)
 */
public record PopulationSummary(Map<ManagerId, Long> opportunities, Map<ManagerId, Long> changedAfter,
        Instant latestChange, java.util.Set<ManagerId> formerOwners) {
    /** Copies the maps and the set, and leaves out of the former owners those who own a deal now. */
    public PopulationSummary {
        opportunities = Map.copyOf(Objects.requireNonNull(opportunities, "opportunities"));
        changedAfter = Map.copyOf(Objects.requireNonNull(changedAfter, "changedAfter"));
        java.util.Set<ManagerId> former = new java.util.HashSet<>(Objects.requireNonNull(formerOwners, "formerOwners"));
        former.removeAll(opportunities.keySet());
        formerOwners = java.util.Set.copyOf(former);
    }

    /**
     * A summary of a source that counts every deal for its owner of today (no former owners).
     *
     * @param opportunities the number of opportunities of the process per owner
     * @param changedAfter per owner, how many have a stage transition after the instant
     * @param latestChange the latest stage transition of the process, null when none
     */
    public PopulationSummary(Map<ManagerId, Long> opportunities, Map<ManagerId, Long> changedAfter,
            Instant latestChange) {
        this(opportunities, changedAfter, latestChange, java.util.Set.of());
    }

    /**
     * The summary of a process's opportunities given as objects: what a source built on
     * opportunity objects answers (the reference for every other source).
     *
     * @param process the process
     * @param after the instant after which transitions count as changes
     * @param opportunities the opportunities (of any process; others are skipped)
     * @return the summary
     */
    public static PopulationSummary of(org.crmkit.core.SalesProcess process, Instant after,
            java.util.stream.Stream<org.crmkit.core.Opportunity> opportunities) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(after, "after");
        Map<ManagerId, Long> count = new java.util.HashMap<>();
        Map<ManagerId, Long> changed = new java.util.HashMap<>();
        java.util.Set<ManagerId> former = new java.util.HashSet<>();
        Instant[] latest = {null};
        opportunities.filter(o -> o.processId().equals(process.id())).forEach(o -> {
            count.merge(o.owner(), 1L, Long::sum);
            if (o.changedAfter(after)) {
                // the owner then is where the first hand-over after the instant started from
                o.changes().stream().filter(c -> c.field() == org.crmkit.core.TrackedField.OWNER
                        && c.at().isAfter(after)).findFirst().ifPresent(c -> former.add(ManagerId.of(c.from())));
            }
            Instant last = o.transitions().get(o.transitions().size() - 1).at();
            if (last.isAfter(after)) {
                changed.merge(o.owner(), 1L, Long::sum);
            }
            if (latest[0] == null || last.isAfter(latest[0])) {
                latest[0] = last;
            }
        });
        return new PopulationSummary(count, changed, latest[0], former);
    }
}
