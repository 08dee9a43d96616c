package org.crmkit.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.crmkit.core.ManagerId;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCellSource;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;

/**
 * The roll-up of DESIGN.md "mergeable aggregates" done through the public SPI: the cells of
 * one company-wide scan, split by owner once, answer every unit's query by merging the
 * cells of the unit's distinct members. Valid only for queries that differ from the scanned
 * one in their owners (same process, period, as-of and filter), which is how the benchmark
 * uses it.
 */
final class CellsByOwner implements FunnelCellSource {
    private final FunnelCells all;
    private final Map<ManagerId, FunnelCells> byOwner;

    CellsByOwner(FunnelCells all) {
        this.all = all;
        Map<ManagerId, FunnelCells.Builder> builders = new HashMap<>();
        all.cells().forEach((k, m) -> builders.computeIfAbsent(k.owner(), o -> FunnelCells.builder()).add(k, m));
        all.stageTimes().forEach((k, d) ->
                builders.computeIfAbsent(k.owner(), o -> FunnelCells.builder()).addStageTime(k, d));
        this.byOwner = new HashMap<>();
        builders.forEach((o, b) -> byOwner.put(o, b.build()));
    }

    @Override
    public FunnelCells cells(CellQuery query) {
        Set<ManagerId> owners = query.owners();
        if (owners.containsAll(byOwner.keySet())) {
            return all;
        }
        FunnelCells.Builder b = FunnelCells.builder();
        for (ManagerId o : owners) {
            FunnelCells c = byOwner.get(o);
            if (c != null) {
                b.addAll(c);
            }
        }
        return b.build();
    }

    @Override
    public java.util.stream.Stream<OpportunityFacts> facts(CellQuery query) {
        throw new UnsupportedOperationException("cells only: the rows were aggregated away");
    }
}
