package org.crmkit.examples.distributed;

import com.hazelcast.map.IMap;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * A {@link FunnelSource} over a Hazelcast map of opportunities: the per-owner stats are
 * computed on the members that own the entries ({@link StatsAggregator}) and only the stats
 * come back; the funnel engine rolls them up as it does any source's. Filters travel with the
 * query (clients and currencies always, a custom predicate when it is serializable).
 *
 * <p>It is a {@link ForecastSource} over the same map too, as the JDBC store and the repository
 * source are both: the forecast engine's per-owner {@link ForecastStats} are grouped on the
 * members ({@link ForecastAggregator}) and its drill-down deals collected there
 * ({@link ForecastDealsAggregator}), so a forecast of the cluster pulls no opportunity back
 * either. A probability model that needs whole opportunities cannot run this way; the engine
 * refuses it for any source.
 */
public final class HazelcastFunnelSource implements FunnelSource, ForecastSource {
    private final IMap<String, StoredOpportunity> opportunities;

    /**
     * A source over a map.
     *
     * @param opportunities the map of opportunity id to opportunity
     */
    public HazelcastFunnelSource(IMap<String, StoredOpportunity> opportunities) {
        this.opportunities = Objects.requireNonNull(opportunities, "opportunities");
    }

    /**
     * Stores opportunities in the map, replacing those with equal ids.
     *
     * @param map the map
     * @param values the opportunities
     */
    public static void load(IMap<String, StoredOpportunity> map, Collection<Opportunity> values) {
        java.util.Map<String, StoredOpportunity> batch = new java.util.HashMap<>();
        for (Opportunity o : values) {
            batch.put(o.id().value(), new StoredOpportunity(o));
        }
        map.putAll(batch);
    }

    /**
     * {@inheritDoc} Runs as a Hazelcast aggregation on the members.
     *
     * @throws org.crmkit.core.ValidationException when the filter's custom predicate is not
     *     serializable
     */
    @Override
    public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
        return opportunities.aggregate(new StatsAggregator(QuerySpec.of(query)));
    }

    /**
     * {@inheritDoc} Runs as a Hazelcast aggregation on the members; only the ids come back.
     *
     * @throws org.crmkit.core.ValidationException when the filter's custom predicate is not
     *     serializable
     */
    @Override
    public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
        return opportunities.aggregate(new IdsAggregator(QuerySpec.of(query), measure, stage)).stream()
                .map(OpportunityId::of);
    }

    /**
     * {@inheritDoc} Runs as a Hazelcast aggregation on the members: each partition groups its
     * entries into cells, and only the per-owner stats come back.
     */
    @Override
    public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
        Objects.requireNonNull(query, "query");
        return opportunities.aggregate(new ForecastAggregator(ForecastSpec.of(query)));
    }

    /**
     * {@inheritDoc} Runs as a Hazelcast aggregation on the members; only the matching deals come
     * back (as values, not opportunities), so the stream holds no resource.
     */
    @Override
    public Stream<ForecastDeal> forecastDeals(ForecastQuery query, Map<CurrencyUnit, Long> minValue) {
        Objects.requireNonNull(query, "query");
        return opportunities.aggregate(new ForecastDealsAggregator(ForecastSpec.of(query), minValue)).stream();
    }
}
