package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.Test;

/** The binary form of {@link FunnelStats}: what a store keeps of its maintained aggregates. */
class FunnelStatsBytesTest {
    private static final SalesProcess PROCESS = Opps.PROCESS;

    @Test
    void statsReadBackEqualWithOrWithoutTheirWinLossTablesAndTheirCount() {
        List<Opportunity> book = RandomData.opportunities(5, 600, "b");
        Set<ManagerId> owners = book.stream().map(Opportunity::owner).collect(Collectors.toCollection(TreeSet::new));
        int checked = 0;
        for (CountingPolicy policy : CountingPolicy.values()) {
            AggregateQuery q = AggregateQuery.builder(owners, PROCESS, Instant.parse("2030-01-01T00:00:00Z"))
                    .policy(policy).winLoss(true).build();
            OwnerAggregates<FunnelStats> parts = FunnelReference.aggregate(q, book.stream());
            for (ManagerId owner : parts.owners()) {
                FunnelStats s = parts.part(owner, 0);
                byte[] b = s.toBytes();
                assertThat(FunnelStats.fromBytes(b)).isEqualTo(s);
                assertThat(FunnelStats.fromBytes(b, false)).isEqualTo(s.withoutWinLoss());
                assertThat(FunnelStats.countOf(b)).isEqualTo(s.count());
                assertThat(s.byReason()).isNotEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(4);
        FunnelStats empty = FunnelStats.empty(PROCESS.openStageCount());
        assertThat(FunnelStats.fromBytes(empty.toBytes())).isEqualTo(empty);
    }

    @Test
    void truncatedOrTrailingBytesAreRefusedClearly() {
        List<Opportunity> book = RandomData.opportunities(6, 50, "t");
        Set<ManagerId> owners = book.stream().map(Opportunity::owner).collect(Collectors.toCollection(TreeSet::new));
        FunnelStats s = FunnelReference.aggregate(AggregateQuery.builder(owners, PROCESS,
                Instant.parse("2030-01-01T00:00:00Z")).winLoss(true).build(), book.stream()).part(owners.iterator().next(), 0);
        byte[] b = s.toBytes();
        assertThatThrownBy(() -> FunnelStats.fromBytes(Arrays.copyOf(b, b.length - 1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("aggregate.bytes");
        assertThatThrownBy(() -> FunnelStats.fromBytes(Arrays.copyOf(b, b.length + 1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("bytes follow the stats");
    }
}
