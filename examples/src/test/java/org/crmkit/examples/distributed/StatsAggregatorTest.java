package org.crmkit.examples.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.examples.TrainingCompany;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.Test;

/** The aggregator's laws, without a cluster: any split and any combine order give the same stats. */
class StatsAggregatorTest {
    private static final Dataset DATA = TrainingCompany.build(42);
    private static final OpportunityColumns COLUMNS = OpportunityColumns.of(DATA.opportunities().stream());
    private static final FunnelEngine LOCAL = DistributedFunnel.engine(DATA, COLUMNS);
    private static final FunnelQuery QUERY = FunnelQuery.builder(DATA.processes().get(0))
            .nodes(TrainingCompany.company())
            .period(Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)))
            .reportingCurrency("EUR").build();

    @Test
    void anySplitIntoPartitionsCombinedInAnyOrderGivesTheSingleMachineStats() {
        // with the win/loss tables, so they travel through the codec too
        AggregateQuery query = LOCAL.aggregateQuery(QUERY).orElseThrow().toBuilder().winLoss(true).build();
        OwnerAggregates<FunnelStats> expected = COLUMNS.aggregate(query);
        assertThat(expected.owners()).isNotEmpty();
        List<Opportunity> opps = DATA.opportunities();
        qt().withExamples(30).forAll(lists().of(integers().between(0, 4)).ofSize(opps.size()),
                integers().between(0, 1_000)).checkAssert((assignment, seed) -> {
                    List<StatsAggregator> parts = new ArrayList<>();
                    for (int p = 0; p < 5; p++) {
                        parts.add(new StatsAggregator(QuerySpec.of(query)));
                    }
                    for (int i = 0; i < opps.size(); i++) {
                        parts.get(assignment.get(i)).accumulate(
                                Map.entry(opps.get(i).id().value(), new StoredOpportunity(opps.get(i))));
                    }
                    // partial results travel between members: serialize them as Hazelcast would
                    List<StatsAggregator> shipped = new ArrayList<>();
                    parts.forEach(a -> {
                        a.onAccumulationFinished();
                        shipped.add(roundTrip(a));
                    });
                    java.util.Collections.shuffle(shipped, new java.util.Random(seed));
                    StatsAggregator total = shipped.get(0);
                    for (int k = 1; k < shipped.size(); k++) {
                        total.combine(shipped.get(k));
                    }
                    assertThat(total.aggregate()).isEqualTo(expected);
                });
    }

    @Test
    void anEmptyPartitionIsTheIdentity() {
        StatsAggregator empty = new StatsAggregator(QuerySpec.of(LOCAL.aggregateQuery(QUERY).orElseThrow()));
        assertThat(roundTrip(empty).aggregate()).isEqualTo(OwnerAggregates.empty(1));
    }

    private static StatsAggregator roundTrip(StatsAggregator a) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(a);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (StatsAggregator) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
