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
import org.crmkit.core.json.CrmJson;
import org.crmkit.examples.TrainingCompany;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCells;
import org.junit.jupiter.api.Test;

/** The aggregator's laws, without a cluster: any split and any combine order give the same cells. */
class CellsAggregatorTest {
    private static final Dataset DATA = TrainingCompany.build(42);
    private static final FunnelEngine LOCAL = DistributedFunnel.engine(DATA,
            OpportunityColumns.of(DATA.opportunities().stream()));
    private static final FunnelQuery QUERY = FunnelQuery.builder(DATA.processes().get(0))
            .nodes(TrainingCompany.company())
            .period(Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)))
            .reportingCurrency("EUR").build();

    @Test
    void anySplitIntoPartitionsCombinedInAnyOrderGivesTheSingleMachineCells() {
        CellQuery cellQuery = LOCAL.cellQuery(QUERY);
        FunnelCells expected = LOCAL.cells(QUERY);
        List<Opportunity> opps = DATA.opportunities();
        qt().withExamples(30).forAll(lists().of(integers().between(0, 4)).ofSize(opps.size()),
                integers().between(0, 1_000)).checkAssert((assignment, seed) -> {
                    List<CellsAggregator> parts = new ArrayList<>();
                    for (int p = 0; p < 5; p++) {
                        parts.add(new CellsAggregator(QuerySpec.of(cellQuery)));
                    }
                    for (int i = 0; i < opps.size(); i++) {
                        parts.get(assignment.get(i)).accumulate(
                                Map.entry(opps.get(i).id().value(), CrmJson.write(opps.get(i))));
                    }
                    // partial results travel between members: serialize them as Hazelcast would
                    List<CellsAggregator> shipped = new ArrayList<>();
                    parts.forEach(a -> {
                        a.onAccumulationFinished();
                        shipped.add(roundTrip(a));
                    });
                    java.util.Collections.shuffle(shipped, new java.util.Random(seed));
                    CellsAggregator total = shipped.get(0);
                    for (int k = 1; k < shipped.size(); k++) {
                        total.combine(shipped.get(k));
                    }
                    assertThat(total.aggregate()).isEqualTo(expected);
                });
    }

    @Test
    void anEmptyPartitionIsTheIdentity() {
        CellsAggregator empty = new CellsAggregator(QuerySpec.of(LOCAL.cellQuery(QUERY)));
        assertThat(roundTrip(empty).aggregate()).isEqualTo(FunnelCells.empty());
    }

    private static CellsAggregator roundTrip(CellsAggregator a) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(a);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (CellsAggregator) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
