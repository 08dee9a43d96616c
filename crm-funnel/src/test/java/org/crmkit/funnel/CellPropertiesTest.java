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
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;
import org.junit.jupiter.api.Test;

/** Laws of the cell monoid and agreement of the columnar scan with the reference definition. */
class CellPropertiesTest {
    static final ZoneId[] ZONES = {ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York")};

    static CellQuery randomQuery(long seed) {
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
        Instant until = RandomData.START.plus(Duration.ofHours(r.nextInt(20 * 30 * 24)));
        Instant createdFrom = r.nextBoolean() ? null : RandomData.START.plus(Duration.ofHours(r.nextInt(200 * 24)));
        Instant createdUntil = r.nextBoolean() ? null : (createdFrom == null ? RandomData.START : createdFrom)
                .plus(Duration.ofHours(1 + r.nextInt(300 * 24)));
        Instant activityFrom = r.nextInt(3) == 0 ? until.minus(Duration.ofHours(1 + r.nextInt(90 * 24))) : null;
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
        return new CellQuery(owners, Opps.PROCESS, until, createdFrom, createdUntil, activityFrom, filter, by, buckets,
                zone);
    }

    static FunnelCells reference(List<Opportunity> opps, CellQuery q) {
        return FunnelCells.aggregate(opps.stream().map(q::factsOf).flatMap(java.util.Optional::stream));
    }

    @Test
    void columnarScanAgreesWithTheReferenceDefinition() {
        qt().withExamples(150).forAll(longs().all(), longs().all(), integers().between(0, 60))
                .checkAssert((dataSeed, querySeed, n) -> {
                    List<Opportunity> opps = RandomData.opportunities(dataSeed, n, "o");
                    CellQuery q = randomQuery(querySeed);
                    OpportunityColumns columns = OpportunityColumns.of(opps.stream());
                    assertThat(columns.cells(q)).isEqualTo(reference(opps, q));
                    List<OpportunityFacts> expected = opps.stream().map(q::factsOf)
                            .flatMap(java.util.Optional::stream).toList();
                    assertThat(columns.facts(q).toList()).containsExactlyInAnyOrderElementsOf(expected);
                });
    }

    @Test
    void parallelScanEqualsSequentialScan() {
        qt().withExamples(30).forAll(longs().all(), longs().all(), integers().between(0, 300))
                .checkAssert((dataSeed, querySeed, n) -> {
                    OpportunityColumns columns = OpportunityColumns.of(RandomData.opportunities(dataSeed, n, "o").stream());
                    CellQuery q = randomQuery(querySeed);
                    assertThat(columns.withParallelThreshold(0).cells(q))
                            .isEqualTo(columns.withParallelThreshold(Integer.MAX_VALUE).cells(q));
                });
    }

    @Test
    void aggregateOfConcatenationIsMergeOfAggregates() {
        qt().withExamples(100).forAll(longs().all(), longs().all(), integers().between(0, 40), integers().between(0, 40))
                .checkAssert((seed, querySeed, na, nb) -> {
                    List<Opportunity> a = RandomData.opportunities(seed, na, "a");
                    List<Opportunity> b = RandomData.opportunities(seed + 1, nb, "b");
                    CellQuery q = randomQuery(querySeed);
                    FunnelCells both = OpportunityColumns.of(Stream.concat(a.stream(), b.stream())).cells(q);
                    FunnelCells merged = OpportunityColumns.of(a.stream()).cells(q)
                            .merge(OpportunityColumns.of(b.stream()).cells(q));
                    assertThat(both).isEqualTo(merged);
                });
    }

    @Test
    void mergeIsAssociativeAndCommutativeWithEmptyAsIdentity() {
        qt().withExamples(100).forAll(longs().all(), longs().all(), integers().between(0, 30))
                .checkAssert((seed, querySeed, n) -> {
                    CellQuery q = randomQuery(querySeed);
                    FunnelCells x = reference(RandomData.opportunities(seed, n, "x"), q);
                    FunnelCells y = reference(RandomData.opportunities(seed + 1, n, "y"), q);
                    FunnelCells z = reference(RandomData.opportunities(seed + 2, n / 2, "z"), q);
                    assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
                    assertThat(x.merge(y)).isEqualTo(y.merge(x));
                    assertThat(x.merge(FunnelCells.empty())).isEqualTo(x);
                    assertThat(FunnelCells.empty().merge(x)).isEqualTo(x);
                });
    }

    @Test
    void splittingByOwnerAndMergingGivesTheWhole() {
        qt().withExamples(60).forAll(longs().all(), longs().all(), integers().between(0, 60))
                .checkAssert((seed, querySeed, n) -> {
                    List<Opportunity> opps = RandomData.opportunities(seed, n, "o");
                    CellQuery q = randomQuery(querySeed);
                    OpportunityColumns columns = OpportunityColumns.of(opps.stream());
                    FunnelCells merged = FunnelCells.empty();
                    List<ManagerId> owners = new ArrayList<>(q.owners());
                    owners.sort(Comparator.reverseOrder());
                    for (ManagerId m : owners) {
                        merged = merged.merge(columns.cells(new CellQuery(Set.of(m), q.process(), q.until(),
                                q.createdFrom(), q.createdUntil(), q.activityFrom(), q.filter(), q.bucketBy(),
                                q.buckets(), q.zone())));
                    }
                    assertThat(merged).isEqualTo(columns.cells(q));
                });
    }
}
