package org.crmkit.funnel.spi;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;

/**
 * The definitions of {@link ForecastQuery} on opportunity objects: the reference every
 * {@link ForecastSource} is tested against, and the implementation of a source over a plain
 * collection ({@link #source}).
 */
public final class ForecastReference {
    private ForecastReference() {
    }

    /**
     * The per-owner stats of some opportunities.
     *
     * @param query the query
     * @param opportunities the opportunities (any owners)
     * @return the stats
     */
    public static OwnerAggregates<ForecastStats> aggregate(ForecastQuery query, Stream<Opportunity> opportunities) {
        return aggregate(query, opportunities, null);
    }

    /**
     * The per-owner stats of some opportunities, each open one's probability decided while
     * grouping by a per-opportunity function (a probability model that needs the whole
     * opportunity); its cells carry {@link ForecastCell#modelBasisPoints()}.
     *
     * @param query the query
     * @param opportunities the opportunities (any owners)
     * @param basisPoints an open opportunity's probability in basis points, or null to leave it to the engine
     * @return the stats
     */
    public static OwnerAggregates<ForecastStats> aggregate(ForecastQuery query, Stream<Opportunity> opportunities,
            ToIntFunction<Opportunity> basisPoints) {
        Objects.requireNonNull(query, "query");
        Map<ManagerId, ForecastStats.Builder> byOwner = new HashMap<>();
        opportunities.forEach(o -> {
            Optional<ForecastCell> cell = cellOf(query, o, basisPoints);
            if (cell.isPresent()) {
                byOwner.computeIfAbsent(o.owner(), k -> ForecastStats.builder())
                        .add(cell.get(), ForecastQuery.valueOf(o, cell.get()));
            }
        });
        OwnerAggregates.Builder<ForecastStats> out = OwnerAggregates.builder(1);
        byOwner.forEach((owner, b) -> out.add(owner, 0, b.build()));
        return out.build();
    }

    /**
     * The deals of some opportunities, by the rule of {@link ForecastSource#forecastDeals}.
     *
     * @param query the query
     * @param minValue per currency, the value an open deal must exceed; null for every deal
     * @param opportunities the opportunities
     * @return the deals, in the order given
     */
    public static Stream<ForecastDeal> deals(ForecastQuery query, Map<CurrencyUnit, Long> minValue,
            Stream<Opportunity> opportunities) {
        return deals(query, minValue, opportunities, null);
    }

    /**
     * The deals of some opportunities, each open one's probability decided by a function.
     *
     * @param query the query
     * @param minValue per currency, the value an open deal must exceed; null for every deal
     * @param opportunities the opportunities
     * @param basisPoints an open opportunity's probability in basis points, or null to leave it to the engine
     * @return the deals, in the order given
     */
    public static Stream<ForecastDeal> deals(ForecastQuery query, Map<CurrencyUnit, Long> minValue,
            Stream<Opportunity> opportunities, ToIntFunction<Opportunity> basisPoints) {
        Objects.requireNonNull(query, "query");
        return opportunities.flatMap(o -> {
            Optional<ForecastCell> cell = cellOf(query, o, basisPoints);
            if (cell.isEmpty()) {
                return Stream.empty();
            }
            ForecastCell c = cell.get();
            long value = ForecastQuery.valueOf(o, c);
            if (minValue != null) {
                Long min = minValue.get(c.currency());
                if (!c.isOpen() || min == null || value <= min) {
                    return Stream.empty();
                }
            }
            return Stream.of(new ForecastDeal(o.id(), o.owner(), c, value,
                    c.isOpen() ? null : o.closeInfo().orElseThrow().closeDate()));
        });
    }

    private static Optional<ForecastCell> cellOf(ForecastQuery query, Opportunity o, ToIntFunction<Opportunity> bp) {
        Optional<ForecastCell> cell = query.cellOf(o);
        return bp == null || cell.isEmpty() || !cell.get().isOpen() ? cell
                : Optional.of(cell.get().withModelBasisPoints(bp.applyAsInt(o)));
    }

    /**
     * A source over a collection of opportunities, read on every query.
     *
     * @param opportunities the opportunities (kept by reference, not copied)
     * @return the source
     */
    public static ForecastSource source(Collection<Opportunity> opportunities) {
        return source(opportunities, null);
    }

    /**
     * A source over a collection of opportunities whose open ones get their probability from a
     * per-opportunity function while grouping.
     *
     * @param opportunities the opportunities (kept by reference, not copied)
     * @param basisPoints an open opportunity's probability in basis points, or null to leave it to the engine
     * @return the source
     */
    public static ForecastSource source(Collection<Opportunity> opportunities, ToIntFunction<Opportunity> basisPoints) {
        Objects.requireNonNull(opportunities, "opportunities");
        return new ForecastSource() {
            @Override
            public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
                return aggregate(query, opportunities.stream(), basisPoints);
            }

            @Override
            public Stream<ForecastDeal> forecastDeals(ForecastQuery query, Map<CurrencyUnit, Long> minValue) {
                return deals(query, minValue, opportunities.stream(), basisPoints);
            }

            @Override
            public String toString() {
                return "ForecastSource[" + opportunities.size() + " opportunities]";
            }
        };
    }
}
