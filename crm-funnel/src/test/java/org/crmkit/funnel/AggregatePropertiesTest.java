package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.crmkit.core.ClientId;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.PeriodType;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.Test;

/**
 * The columns answer every aggregate query as the reference definition does, and the answers
 * obey the group laws: the answer of a concatenation is the sum of the answers, {@code plus}
 * is associative and commutative with the empty answer as identity, {@code minus} undoes it.
 */
class AggregatePropertiesTest {
    static final ZoneId[] ZONES = {ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York")};

    static AggregateQuery randomQuery(long seed) {
        Random r = new Random(seed);
        Set<ManagerId> owners = new TreeSet<>();
        for (String m : RandomData.OWNERS) {
            if (r.nextInt(3) != 0) {
                owners.add(ManagerId.of(m));
            }
        }
        if (owners.isEmpty()) {
            owners.add(ManagerId.of("m1"));
        }
        Instant asOf = RandomData.START.plus(Duration.ofHours(r.nextInt(20 * 30 * 24)));
        Instant createdFrom = r.nextBoolean() ? null : RandomData.START.plus(Duration.ofHours(r.nextInt(200 * 24)));
        Instant createdUntil = r.nextBoolean() ? null : (createdFrom == null ? RandomData.START : createdFrom)
                .plus(Duration.ofHours(1 + r.nextInt(300 * 24)));
        Instant activityFrom = r.nextInt(3) == 0 ? asOf.minus(Duration.ofHours(1 + r.nextInt(90 * 24))) : null;
        OpportunityFilter filter = switch (r.nextInt(4)) {
            case 0 -> OpportunityFilter.currencies(Set.of(Amounts.currency("EUR")));
            case 1 -> OpportunityFilter.clients(Set.of(ClientId.of("c0"), ClientId.of("c2")));
            default -> OpportunityFilter.any();
        };
        ZoneId zone = ZONES[r.nextInt(ZONES.length)];
        BucketBy by = BucketBy.values()[r.nextInt(3)];
        FiscalCalendar cal = FiscalCalendar.calendarYear(zone);
        List<org.crmkit.core.Period> buckets = by == BucketBy.NONE ? List.of()
                : cal.periods(PeriodType.MONTH, LocalDate.parse("2025-09-01"), LocalDate.parse("2026-08-31"));
        return AggregateQuery.builder(owners, Opps.PROCESS, asOf).created(createdFrom, createdUntil)
                .activityFrom(activityFrom).policy(r.nextBoolean() ? CountingPolicy.LINEAR : CountingPolicy.STRICT)
                .filter(filter).buckets(by, buckets).zone(zone).winLoss(r.nextBoolean()).build();
    }

    static OwnerAggregates<FunnelStats> reference(List<Opportunity> opps, AggregateQuery q) {
        return FunnelReference.aggregate(q, opps.stream());
    }

    @Test
    void columnsAnswerAsTheReferenceDefinitionIncludingTheIdsBehindEachMeasure() {
        qt().withExamples(150).forAll(longs().all(), longs().all(), integers().between(0, 60))
                .checkAssert((dataSeed, querySeed, n) -> {
                    List<Opportunity> opps = RandomData.opportunities(dataSeed, n, "o");
                    AggregateQuery q = randomQuery(querySeed);
                    OpportunityColumns columns = OpportunityColumns.of(opps.stream());
                    assertThat(columns.aggregate(q)).isEqualTo(reference(opps, q));
                    for (FunnelMeasure m : FunnelMeasure.values()) {
                        for (int s = 0; s < (m.perStage() ? q.openStages() : 1); s++) {
                            assertThat(columns.ids(q, m, s).sorted().toList()).as("%s %d", m, s)
                                    .isEqualTo(FunnelReference.ids(q, m, s, opps.stream()).sorted().toList());
                        }
                    }
                });
    }

    @Test
    void theRandomQueriesReachEveryKindOfFigure() {
        // guards the property above against generators that only ever produce empty answers
        long won = 0;
        long lost = 0;
        long activityCloses = 0;
        long reasons = 0;
        long bucketed = 0;
        long timeInStage = 0;
        for (long seed = 0; seed < 200; seed++) {
            List<Opportunity> opps = RandomData.opportunities(seed, 40, "o");
            AggregateQuery q = randomQuery(seed * 31);
            long[] sums = new long[6];
            OpportunityColumns.of(opps.stream()).aggregate(q).forEach((o, b, part) -> {
                sums[0] += part.won();
                sums[1] += part.lost();
                sums[2] += q.hasActivityWindow() ? part.won() + part.lost() : 0;
                sums[3] += part.byReason().size();
                sums[4] += b > 0 ? part.count() : 0;
                sums[5] += part.duration(FunnelStats.Duration.TIME_IN_STAGE, 1).count();
            });
            won += sums[0];
            lost += sums[1];
            activityCloses += sums[2];
            reasons += sums[3];
            bucketed += sums[4];
            timeInStage += sums[5];
        }
        assertThat(List.of(won, lost, activityCloses, reasons, bucketed, timeInStage)).allMatch(v -> v >= 10);
    }

    @Test
    void parallelScanEqualsSequentialScan() {
        qt().withExamples(30).forAll(longs().all(), longs().all(), integers().between(0, 300))
                .checkAssert((dataSeed, querySeed, n) -> {
                    OpportunityColumns columns = OpportunityColumns.of(RandomData.opportunities(dataSeed, n, "o").stream());
                    AggregateQuery q = randomQuery(querySeed);
                    assertThat(columns.withParallelThreshold(0).aggregate(q))
                            .isEqualTo(columns.withParallelThreshold(Integer.MAX_VALUE).aggregate(q));
                });
    }

    @Test
    void aggregateOfConcatenationIsTheSumOfAggregates() {
        qt().withExamples(100).forAll(longs().all(), longs().all(), integers().between(0, 40), integers().between(0, 40))
                .checkAssert((seed, querySeed, na, nb) -> {
                    List<Opportunity> a = RandomData.opportunities(seed, na, "a");
                    List<Opportunity> b = RandomData.opportunities(seed + 1, nb, "b");
                    AggregateQuery q = randomQuery(querySeed);
                    OwnerAggregates<FunnelStats> both = OpportunityColumns.of(Stream.concat(a.stream(), b.stream()))
                            .aggregate(q);
                    OwnerAggregates<FunnelStats> sa = OpportunityColumns.of(a.stream()).aggregate(q);
                    OwnerAggregates<FunnelStats> sb = OpportunityColumns.of(b.stream()).aggregate(q);
                    assertThat(both).isEqualTo(sa.plus(sb));
                    assertThat(both.minus(sb)).isEqualTo(sa);
                    assertThat(both.minus(sa).minus(sb).isEmpty()).isTrue();
                });
    }

    @Test
    void plusIsAssociativeAndCommutativeWithEmptyAsIdentityAndMinusUndoesIt() {
        qt().withExamples(100).forAll(longs().all(), longs().all(), integers().between(0, 30))
                .checkAssert((seed, querySeed, n) -> {
                    AggregateQuery q = randomQuery(querySeed);
                    OwnerAggregates<FunnelStats> x = reference(RandomData.opportunities(seed, n, "x"), q);
                    OwnerAggregates<FunnelStats> y = reference(RandomData.opportunities(seed + 1, n, "y"), q);
                    OwnerAggregates<FunnelStats> z = reference(RandomData.opportunities(seed + 2, n / 2, "z"), q);
                    OwnerAggregates<FunnelStats> empty = OwnerAggregates.empty(q.bucketCount());
                    assertThat(x.plus(y).plus(z)).isEqualTo(x.plus(y.plus(z)));
                    assertThat(x.plus(y)).isEqualTo(y.plus(x));
                    assertThat(x.plus(empty)).isEqualTo(x);
                    assertThat(empty.plus(x)).isEqualTo(x);
                    assertThat(x.plus(y).minus(y)).isEqualTo(x);
                    // and per owner, on the stats themselves
                    for (ManagerId m : x.owners()) {
                        FunnelStats sx = x.part(m, 0) != null ? x.part(m, 0) : FunnelStats.empty(q.openStages());
                        FunnelStats sy = y.part(m, 0) != null ? y.part(m, 0) : FunnelStats.empty(q.openStages());
                        assertThat(sx.plus(sy).minus(sy)).isEqualTo(sx);
                        assertThat(sx.plus(FunnelStats.empty(q.openStages()))).isEqualTo(sx);
                    }
                });
    }

    @Test
    void askingOwnerByOwnerAndSummingGivesTheWhole() {
        qt().withExamples(60).forAll(longs().all(), longs().all(), integers().between(0, 60))
                .checkAssert((seed, querySeed, n) -> {
                    List<Opportunity> opps = RandomData.opportunities(seed, n, "o");
                    AggregateQuery q = randomQuery(querySeed);
                    OpportunityColumns columns = OpportunityColumns.of(opps.stream());
                    OwnerAggregates<FunnelStats> summed = OwnerAggregates.empty(q.bucketCount());
                    List<ManagerId> owners = new ArrayList<>(q.owners());
                    owners.sort(Comparator.reverseOrder());
                    for (ManagerId m : owners) {
                        summed = summed.plus(columns.aggregate(q.withOwners(Set.of(m))));
                    }
                    assertThat(summed).isEqualTo(columns.aggregate(q));
                });
    }
}
