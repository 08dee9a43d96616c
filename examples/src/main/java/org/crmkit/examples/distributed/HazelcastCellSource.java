package org.crmkit.examples.distributed;

import com.hazelcast.map.IMap;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.json.CrmJson;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCellSource;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;

/**
 * A {@link FunnelCellSource} over a Hazelcast map of opportunities (id to crmkit JSON): the
 * cells are computed on the members that own the entries ({@link CellsAggregator}) and only
 * the cells come back; the funnel engine then works on them as on any other source.
 */
public final class HazelcastCellSource implements FunnelCellSource {
    private final IMap<String, String> opportunities;

    /**
     * A source over a map.
     *
     * @param opportunities the map of opportunity id to {@link CrmJson} text
     */
    public HazelcastCellSource(IMap<String, String> opportunities) {
        this.opportunities = Objects.requireNonNull(opportunities, "opportunities");
    }

    /**
     * Stores opportunities in the map, replacing those with equal ids.
     *
     * @param map the map
     * @param values the opportunities
     */
    public static void load(IMap<String, String> map, Collection<Opportunity> values) {
        java.util.Map<String, String> batch = new java.util.HashMap<>();
        for (Opportunity o : values) {
            batch.put(o.id().value(), CrmJson.write(o));
        }
        map.putAll(batch);
    }

    /**
     * {@inheritDoc} Drill-down is rare and small: the entries are read to the caller.
     *
     * @throws org.crmkit.core.ValidationException when the query has a filter
     */
    @Override
    public Stream<OpportunityFacts> facts(CellQuery query) {
        CellQuery q = QuerySpec.of(query).toCellQuery();
        return opportunities.values().stream().map(CrmJson::readOpportunity).map(q::factsOf)
                .flatMap(Optional::stream);
    }

    /**
     * {@inheritDoc} Runs as a Hazelcast aggregation on the members.
     *
     * @throws org.crmkit.core.ValidationException when the query has a filter
     */
    @Override
    public FunnelCells cells(CellQuery query) {
        return opportunities.aggregate(new CellsAggregator(QuerySpec.of(query)));
    }
}
