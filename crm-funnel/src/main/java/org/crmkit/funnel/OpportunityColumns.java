package org.crmkit.funnel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCellSource;
import org.crmkit.funnel.spi.OpportunityFacts;

/**
 * An in-memory opportunity set held for repeated funnel scans; the cell source of the
 * engine for data already in memory. Built once from a stream of opportunities; immutable
 * and thread-safe.
 */
public final class OpportunityColumns implements FunnelCellSource {
    private final List<Opportunity> rows;

    private OpportunityColumns(List<Opportunity> rows) {
        this.rows = rows;
    }

    /**
     * Builds the set from opportunities.
     *
     * @param opportunities the opportunities (any owners and processes)
     * @return the set
     */
    public static OpportunityColumns of(Stream<Opportunity> opportunities) {
        return new OpportunityColumns(Objects.requireNonNull(opportunities, "opportunities").toList());
    }

    /**
     * The number of opportunities held.
     *
     * @return the size
     */
    public int size() {
        return rows.size();
    }

    @Override
    public Stream<OpportunityFacts> facts(CellQuery query) {
        Objects.requireNonNull(query, "query");
        return rows.stream().map(query::factsOf).flatMap(Optional::stream);
    }
}
