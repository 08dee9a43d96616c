package org.crmkit.funnel.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Visibility;
import org.crmkit.funnel.FunnelMeasure;

/**
 * Sources narrowed to what a viewer may see: every question is asked of the visible owners
 * only, so whatever the engine computes from the answers (funnels, comparisons, rankings,
 * drill-downs, forecasts, distributions, plan vs actual) holds no count, amount or id of a
 * hidden deal. A question about owners none of whom is visible gets the empty answer without
 * reaching the source (an empty owner set must never be read as "every owner").
 */
public final class VisibleSources {
    private VisibleSources() {
    }

    /**
     * A funnel source narrowed to a visibility.
     *
     * @param source the source
     * @param visibility what the viewer sees
     * @return the narrowed source (the source itself for a viewer who sees everything)
     */
    public static FunnelSource funnel(FunnelSource source, Visibility visibility) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(visibility, "visibility");
        if (visibility.isUnrestricted()) {
            return source;
        }
        return new FunnelSource() {
            @Override
            public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
                if (visibility.seesAll(query.owners())) {
                    return source.aggregate(query);
                }
                Set<ManagerId> owners = visibility.restrict(query.owners());
                return owners.isEmpty() ? OwnerAggregates.empty(query.bucketCount())
                        : source.aggregate(query.withOwners(owners));
            }

            @Override
            public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
                if (visibility.seesAll(query.owners())) {
                    return source.ids(query, measure, stage);
                }
                Set<ManagerId> owners = visibility.restrict(query.owners());
                return owners.isEmpty() ? Stream.empty() : source.ids(query.withOwners(owners), measure, stage);
            }

            @Override
            public long countedWithTodaysValues(SalesProcess process, Set<ManagerId> owners, Instant asOf) {
                Set<ManagerId> visible = visibility.restrict(owners);
                return visible.isEmpty() ? 0 : source.countedWithTodaysValues(process, visible, asOf);
            }

            @Override
            public Map<ManagerId, Long> historyStartsAfter(SalesProcess process, Instant asOf) {
                return visible(source.historyStartsAfter(process, asOf), visibility);
            }

            @Override
            public Optional<PopulationSummary> summary(SalesProcess process, Instant after) {
                // the latest change of the whole process may be a hidden deal's: left out
                return source.summary(process, after).map(s -> new PopulationSummary(visible(s.opportunities(), visibility),
                        visible(s.changedAfter(), visibility), null, visibility.restrict(s.formerOwners())));
            }
        };
    }

    /**
     * A forecast source narrowed to a visibility.
     *
     * @param source the source
     * @param visibility what the viewer sees
     * @return the narrowed source (the source itself for a viewer who sees everything)
     */
    public static ForecastSource forecast(ForecastSource source, Visibility visibility) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(visibility, "visibility");
        if (visibility.isUnrestricted()) {
            return source;
        }
        Set<ManagerId> visibleOwners = visibility.owners().orElseThrow();
        return new ForecastSource() {
            @Override
            public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
                Optional<ForecastQuery> q = narrowed(query);
                return q.map(source::forecast).orElseGet(() -> OwnerAggregates.empty(1));
            }

            @Override
            public Stream<ForecastDeal> forecastDeals(ForecastQuery query, Map<CurrencyUnit, Long> minValue) {
                return narrowed(query).map(q -> source.forecastDeals(q, minValue)).orElseGet(Stream::empty);
            }

            private Optional<ForecastQuery> narrowed(ForecastQuery query) {
                Set<ManagerId> owners = visibility.restrict(query.owners() == null ? visibleOwners : query.owners());
                return owners.isEmpty() ? Optional.empty() : Optional.of(query.withOwners(owners));
            }
        };
    }

    private static Map<ManagerId, Long> visible(Map<ManagerId, Long> perOwner, Visibility visibility) {
        return perOwner.entrySet().stream().filter(e -> visibility.sees(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
