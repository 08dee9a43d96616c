package org.crmkit.funnel.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.crmkit.core.ManagerId;

/**
 * What a {@link FunnelCellSource} holds of one process, in counts: the engine uses it to make
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
}
