package org.crmkit.funnel;

import java.util.List;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.PopulationSummary;

/** Sources for tests: a plain delegating wrapper and the reference definition over objects. */
final class Sources {
    private Sources() {
    }

    /** A source that only forwards to another: the engine must treat it like the one it wraps. */
    static FunnelSource delegating(FunnelSource inner) {
        return new FunnelSource() {
            @Override
            public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
                return inner.aggregate(query);
            }

            @Override
            public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
                return inner.ids(query, measure, stage);
            }

            @Override
            public java.util.Optional<PopulationSummary> summary(SalesProcess process, java.time.Instant after) {
                return inner.summary(process, after);
            }
        };
    }

    /** The reference definition as a source. */
    static FunnelSource reference(List<Opportunity> opportunities) {
        return new FunnelSource() {
            @Override
            public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
                return FunnelReference.aggregate(query, opportunities.stream());
            }

            @Override
            public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
                return FunnelReference.ids(query, measure, stage, opportunities.stream());
            }

            @Override
            public java.util.Optional<PopulationSummary> summary(SalesProcess process, java.time.Instant after) {
                return java.util.Optional.of(PopulationSummary.of(process, after, opportunities.stream()));
            }
        };
    }
}
