package org.crmkit.funnel;

import java.util.Objects;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * A {@link FunnelSource} over any opportunity repository (e.g. crm-core's in-memory store, or a
 * store without a query language of its own): each query streams the opportunities of its
 * process (all of them: a deal counts for the owner it had at the query's instant) and answers
 * with the reference definition ({@link FunnelReference}), one opportunity at a time, so memory
 * stays bounded by the answer. It reads every opportunity per
 * query; for repeated queries over a large set, {@link OpportunityColumns} or a store that
 * groups in SQL answers faster.
 */
public final class RepositoryFunnelSource implements FunnelSource, org.crmkit.funnel.spi.ForecastSource {
    /** The largest owner set asked of the repository by id; beyond it the process's opportunities are filtered here. */
    private static final int OWNER_LIMIT = 1_000;

    private final OpportunityRepository opportunities;

    private RepositoryFunnelSource(OpportunityRepository opportunities) {
        this.opportunities = opportunities;
    }

    /**
     * A source over a repository.
     *
     * @param opportunities the repository
     * @return the source
     */
    public static RepositoryFunnelSource of(OpportunityRepository opportunities) {
        return new RepositoryFunnelSource(Objects.requireNonNull(opportunities, "opportunities"));
    }

    private Stream<Opportunity> population(AggregateQuery query) {
        // the whole process, not the query's owners: a deal counts for the owner it had at the
        // query's instant (FunnelReference), who may not be its owner now, and a repository
        // cannot tell which deals changed owner since; the reference filters the owners
        return opportunities.stream(OpportunityQuery.all().withProcess(query.process().id()));
    }

    @Override
    public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
        Objects.requireNonNull(query, "query");
        try (Stream<Opportunity> opps = population(query)) {
            return FunnelReference.aggregate(query, opps);
        }
    }

    /** {@inheritDoc} Streams the process's opportunities once. */
    @Override
    public java.util.Optional<org.crmkit.funnel.spi.PopulationSummary> summary(org.crmkit.core.SalesProcess process,
            java.time.Instant after) {
        try (Stream<Opportunity> opps = opportunities.stream(OpportunityQuery.all().withProcess(process.id()))) {
            return java.util.Optional.of(org.crmkit.funnel.spi.PopulationSummary.of(process, after, opps));
        }
    }

    /** {@inheritDoc} Streams the process's opportunities once. */
    @Override
    public java.util.Map<org.crmkit.core.ManagerId, Long> historyStartsAfter(org.crmkit.core.SalesProcess process,
            java.time.Instant asOf) {
        Objects.requireNonNull(asOf, "asOf");
        try (Stream<Opportunity> opps = opportunities.stream(OpportunityQuery.all().withProcess(process.id()))) {
            return opps.filter(o -> !o.createdAt().isAfter(asOf) && o.historyStartsAfter(asOf))
                    .collect(java.util.stream.Collectors.groupingBy(Opportunity::owner,
                            java.util.stream.Collectors.counting()));
        }
    }

    /** {@inheritDoc} Streams the owners' opportunities once, with the reference definitions. */
    @Override
    public org.crmkit.funnel.spi.OwnerAggregates<org.crmkit.funnel.spi.ForecastStats> forecast(
            org.crmkit.funnel.spi.ForecastQuery query) {
        Objects.requireNonNull(query, "query");
        try (Stream<Opportunity> opps = forecastPopulation(query)) {
            return org.crmkit.funnel.spi.ForecastReference.aggregate(query, opps);
        }
    }

    /** {@inheritDoc} Streams the owners' opportunities, with the reference definitions. */
    @Override
    public Stream<org.crmkit.funnel.spi.ForecastDeal> forecastDeals(org.crmkit.funnel.spi.ForecastQuery query,
            java.util.Map<javax.money.CurrencyUnit, Long> minValue) {
        Objects.requireNonNull(query, "query");
        Stream<Opportunity> opps = forecastPopulation(query);
        return org.crmkit.funnel.spi.ForecastReference.deals(query, minValue, opps).onClose(opps::close);
    }

    private Stream<Opportunity> forecastPopulation(org.crmkit.funnel.spi.ForecastQuery query) {
        return opportunities.stream(query.owners() != null && query.owners().size() <= OWNER_LIMIT
                ? OpportunityQuery.ownedBy(query.owners()) : OpportunityQuery.all());
    }

    @Override
    public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
        Objects.requireNonNull(query, "query");
        Stream<Opportunity> opps = population(query);
        return FunnelReference.ids(query, measure, stage, opps).onClose(opps::close);
    }
}
