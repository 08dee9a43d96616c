package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.AnswerPath;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.Test;

/**
 * The in-memory columns answer the dashboard's question (as of now, every transition in effect)
 * from end states they scan once and keep, with the reference's figures, and scan for every other
 * question.
 */
class ColumnsEndStateTest {
    private static final List<Opportunity> BOOK = RandomData.opportunities(41, 400, "e");
    private static final Set<ManagerId> OWNERS = java.util.Arrays.stream(RandomData.OWNERS).map(ManagerId::of)
            .collect(Collectors.toCollection(TreeSet::new));
    private static final Instant LATEST = BOOK.stream()
            .map(o -> o.transitions().get(o.transitions().size() - 1).at()).max(Instant::compareTo).orElseThrow();

    @Test
    void queriesAtOrAfterTheLatestTransitionAreAnsweredFromTheKeptEndStates() {
        OpportunityColumns columns = OpportunityColumns.of(BOOK.stream());
        for (CountingPolicy policy : CountingPolicy.values()) {
            for (boolean winLoss : new boolean[] {false, true}) {
                for (Instant at : List.of(LATEST, LATEST.plusSeconds(86_400 * 365))) {
                    for (Set<ManagerId> owners : List.of(OWNERS, Set.of(ManagerId.of("m3")))) {
                        AggregateQuery q = AggregateQuery.builder(owners, Opps.PROCESS, at)
                                .policy(policy).winLoss(winLoss).build();
                        OwnerAggregates<FunnelStats> got = columns.aggregate(q);
                        assertThat(got.path()).as("%s", q).isEqualTo(AnswerPath.MAINTAINED);
                        assertThat(got).as("%s", q).isEqualTo(FunnelReference.aggregate(q, BOOK.stream()));
                    }
                }
            }
        }
    }

    @Test
    void earlierInstantsWindowsAndFiltersAreScanned() {
        OpportunityColumns columns = OpportunityColumns.of(BOOK.stream());
        List<AggregateQuery> queries = List.of(
                AggregateQuery.builder(OWNERS, Opps.PROCESS, LATEST.minusNanos(1)).build(),
                AggregateQuery.builder(OWNERS, Opps.PROCESS, LATEST)
                        .activityFrom(LATEST.minusSeconds(86_400 * 30)).build(),
                AggregateQuery.builder(OWNERS, Opps.PROCESS, LATEST)
                        .created(RandomData.START, LATEST).build(),
                AggregateQuery.builder(OWNERS, Opps.PROCESS, LATEST)
                        .filter(OpportunityFilter.currencies(Set.of(org.crmkit.core.money.Amounts.currency("EUR"))))
                        .build());
        for (AggregateQuery q : queries) {
            OwnerAggregates<FunnelStats> got = columns.aggregate(q);
            assertThat(got.path()).as("%s", q).isEqualTo(AnswerPath.SCAN);
            assertThat(got).as("%s", q).isEqualTo(FunnelReference.aggregate(q, BOOK.stream()));
        }
    }
}
