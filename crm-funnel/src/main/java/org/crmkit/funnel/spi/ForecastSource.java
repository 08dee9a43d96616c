package org.crmkit.funnel.spi;

import java.util.Map;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;

/**
 * What a store implements so the forecast engine can forecast its opportunities without
 * reading them as objects: answer a {@link ForecastQuery} with one {@link ForecastStats} per
 * owner (computed where the data lives: the in-memory columns scan their rows, the JDBC store
 * groups in SQL, a cluster aggregates on its members), and list the few deals a drill-down
 * needs. The engine rolls any node of the org structure up from the per-owner stats, as the
 * funnel engine does from a {@link FunnelSource}.
 *
 * <p>The definitions are those of {@link ForecastQuery}; {@link ForecastReference} implements
 * them on opportunity objects. Implementations must be thread-safe.
 */
public interface ForecastSource {
    /**
     * The forecast stats of the query's opportunities, per owner (one bucket).
     *
     * @param query the query
     * @return the stats; owners without an opportunity may be absent
     * @throws org.crmkit.core.StorageException when the store fails
     */
    OwnerAggregates<ForecastStats> forecast(ForecastQuery query);

    /**
     * The query's opportunities one by one, for drill-down. With {@code minValue}, only open ones
     * whose currency is a key of the map and whose value is above the currency's minimum (the
     * large deals of a threshold); without, every one that has a cell. The caller closes the
     * stream.
     *
     * @param query the query
     * @param minValue per currency, the value in minor units a deal must exceed; null for all deals
     * @return the deals, in any order
     * @throws org.crmkit.core.StorageException when the store fails
     */
    Stream<ForecastDeal> forecastDeals(ForecastQuery query, Map<CurrencyUnit, Long> minValue);
}
