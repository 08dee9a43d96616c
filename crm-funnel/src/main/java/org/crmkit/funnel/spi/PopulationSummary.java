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
 */
public record PopulationSummary(Map<ManagerId, Long> opportunities, Map<ManagerId, Long> changedAfter,
        Instant latestChange) {
    /** Copies the maps. */
    public PopulationSummary {
        opportunities = Map.copyOf(Objects.requireNonNull(opportunities, "opportunities"));
        changedAfter = Map.copyOf(Objects.requireNonNull(changedAfter, "changedAfter"));
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
        Instant[] latest = {null};
        opportunities.filter(o -> o.processId().equals(process.id())).forEach(o -> {
            count.merge(o.owner(), 1L, Long::sum);
            Instant last = o.transitions().get(o.transitions().size() - 1).at();
            if (last.isAfter(after)) {
                changed.merge(o.owner(), 1L, Long::sum);
            }
            if (latest[0] == null || last.isAfter(latest[0])) {
                latest[0] = last;
            }
        });
        return new PopulationSummary(count, changed, latest[0]);
    }
}
