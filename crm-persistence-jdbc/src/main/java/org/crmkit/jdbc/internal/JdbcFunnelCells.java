package org.crmkit.jdbc.internal;

import java.util.Objects;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * Answers the funnel engine's aggregate queries from the store's opportunities with the
 * reference definition.
 */
public final class JdbcFunnelCells implements FunnelSource {
    private final Db db;
    private final OpportunityRepository opportunities;

    /**
     * Creates the source.
     *
     * @param db the database
     * @param opportunities the opportunity repository of the same store
     */
    public JdbcFunnelCells(Db db, OpportunityRepository opportunities) {
        this.db = db;
        this.opportunities = opportunities;
    }

    private Stream<Opportunity> population(AggregateQuery query) {
        return opportunities.stream(OpportunityQuery.ownedBy(query.owners()).withProcess(query.process().id()));
    }

    @Override
    public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
        Objects.requireNonNull(query, "query");
        try (Stream<Opportunity> opps = population(query)) {
            return FunnelReference.aggregate(query, opps);
        }
    }

    @Override
    public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
        Objects.requireNonNull(query, "query");
        Stream<Opportunity> opps = population(query);
        return FunnelReference.ids(query, measure, stage, opps).onClose(opps::close);
    }
}
