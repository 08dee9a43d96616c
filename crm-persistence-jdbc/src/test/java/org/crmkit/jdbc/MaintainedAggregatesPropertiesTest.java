package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.core.Opportunity;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.AnswerPath;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.junit.jupiter.api.Test;

/**
 * For random sequences of writes (inserts, batches, updates to other owners, stages, amounts and
 * closes, deletes), with compactions at random points, the aggregates a store maintains equal the
 * aggregates recomputed from its opportunity table, key by key, and answer the dashboard queries
 * with the grouped scan's figures. On H2 (a fresh in-memory database per sequence); the seed of
 * QuickTheories is pinned by the build (profile {@code pinned-seeds}).
 */
class MaintainedAggregatesPropertiesTest {
    private static final List<Opportunity> STATES = RandomBook.opportunities(23, 300);

    @Test
    void maintainedEqualsRecomputedAfterAnySequenceOfWrites() {
        qt().withExamples(25).forAll(longs().all(), integers().between(1, 40)).checkAssert((seed, length) -> {
            DataSource ds = new DriverDataSource(new org.h2.Driver(),
                    "jdbc:h2:mem:p-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            CrmStore store = CrmStore.builder().dataSource(ds).build();
            store.processes().save(RandomBook.PROCESS);
            Random r = new Random(seed);
            Map<String, Opportunity> stored = new TreeMap<>();
            for (int i = 0; i < length; i++) {
                MaintainedAggregatesBehaviour.apply(store, stored, STATES, r);
                if (r.nextInt(8) == 0) {
                    store.compactAggregates();
                }
            }
            assertThat(store.verifyAggregates()).as("seed %d, %d writes", seed, length).isEmpty();
            CrmStore scan = CrmStore.builder().dataSource(ds).maintainAggregates(false).build();
            for (AggregateQuery q : MaintainedAggregatesBehaviour.dashboardQueries()) {
                assertThat(store.aggregate(q).path()).isEqualTo(AnswerPath.MAINTAINED);
                assertThat(store.aggregate(q)).as("seed %d: %s", seed, q).isEqualTo(scan.aggregate(q));
            }
        });
    }
}
