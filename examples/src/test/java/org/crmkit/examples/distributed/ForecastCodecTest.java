package org.crmkit.examples.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.money.CurrencyUnit;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.ForecastCell;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.Test;

/**
 * The forecast's wire format and the aggregators' laws, without a cluster: what is written reads
 * back equal, and any split of the opportunities into partitions, shipped and combined in any
 * order, gives the reference's stats and deals.
 */
class ForecastCodecTest {
    private static final CurrencyUnit EUR = Amounts.currency("EUR");
    private static final CurrencyUnit USD = Amounts.currency("USD");
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().opportunities(1_500)
            .seed(20261204L).build());
    private static final List<Opportunity> OPPORTUNITIES = GEN.opportunities().toList();

    @Test
    void anAggregateWithOpenAndWonCellsAndHugeSumsReadsBackEqual() throws IOException {
        BigInteger huge = BigInteger.TWO.pow(70).add(BigInteger.valueOf(12_345));
        BigInteger cube = BigInteger.valueOf(900_000_000_000_000L).pow(3).multiply(BigInteger.valueOf(7));
        ForecastCell open = ForecastCell.open(YearMonth.of(2026, 11), true, EUR, ProcessId.of("corporate"), "proposal",
                40, null, ForecastCell.Basis.AMOUNT);
        ForecastCell categorised = ForecastCell.open(YearMonth.of(1969, 12), false, USD, ProcessId.of("corporate"),
                "proposal", 100, ForecastCategory.CLOSED, ForecastCell.Basis.NONE).withModelBasisPoints(10_000);
        ForecastCell budget = ForecastCell.open(YearMonth.of(2027, 1), false, EUR, ProcessId.of("smb"), "demo", 0,
                ForecastCategory.COMMIT, ForecastCell.Basis.BUDGET).withModelBasisPoints(0);
        ForecastCell wonHome = ForecastCell.won(YearMonth.of(2026, 3), EUR, null);
        ForecastCell wonAbroad = ForecastCell.won(YearMonth.of(2026, 3), USD, LocalDate.of(1969, 7, 20));
        ForecastStats ann = ForecastStats.of(Map.of(
                open, new ForecastStats.Sums(7, Long.MAX_VALUE, huge, cube),
                categorised, ForecastStats.Sums.of(0),
                wonHome, new ForecastStats.Sums(2, 500_00, BigInteger.ZERO, BigInteger.ZERO),
                wonAbroad, new ForecastStats.Sums(1, 900_000_000_000_000L, BigInteger.ZERO, BigInteger.ZERO)));
        ForecastStats bob = ForecastStats.builder().add(budget, 1_234_56).add(open, 900_000_000_000_000L).build();
        OwnerAggregates<ForecastStats> parts = OwnerAggregates.<ForecastStats>builder(1)
                .add(ManagerId.of("ann"), 0, ann).add(ManagerId.of("bob"), 0, bob).build();
        assertThat(bob.cells().get(open).cubes().bitLength()).as("beyond 64 bits").isGreaterThan(64);

        OwnerAggregates<ForecastStats> back = ForecastCodec.readStats(in(out -> ForecastCodec.write(parts, out)));
        assertThat(back).isEqualTo(parts);
        assertThat(back.part(ManagerId.of("ann"), 0).cells().get(open).squares()).isEqualTo(huge);
        assertThat(ForecastCodec.readStats(in(out -> ForecastCodec.write(OwnerAggregates.<ForecastStats>empty(1), out))))
                .isEqualTo(OwnerAggregates.empty(1));
    }

    @Test
    void dealsReadBackEqualInTheirOrder() throws IOException {
        ForecastCell open = ForecastCell.open(YearMonth.of(2026, 11), false, EUR, ProcessId.of("corporate"), "demo", 25,
                null, ForecastCell.Basis.AMOUNT);
        List<ForecastDeal> deals = List.of(
                new ForecastDeal(OpportunityId.of("o-2"), ManagerId.of("bob"), open, Long.MAX_VALUE, null),
                new ForecastDeal(OpportunityId.of("o-1"), ManagerId.of("ann"), open, 0, null),
                new ForecastDeal(OpportunityId.of("o-3"), ManagerId.of("ann"),
                        ForecastCell.won(YearMonth.of(2026, 4), USD, LocalDate.of(2026, 3, 31)), 99, LocalDate.of(2026, 3, 31)),
                new ForecastDeal(OpportunityId.of("o-4"), ManagerId.of("ann"), ForecastCell.won(YearMonth.of(2026, 4), EUR,
                        null), 1, LocalDate.of(2026, 4, 1)));
        assertThat(ForecastCodec.readDeals(in(out -> ForecastCodec.write(deals, out)))).isEqualTo(deals);
        assertThat(ForecastCodec.readDeals(in(out -> ForecastCodec.write(List.of(), out)))).isEmpty();
    }

    @Test
    void bytesOfAnotherFormatAreRefused() {
        assertThatThrownBy(() -> ForecastCodec.readStats(in(out -> ForecastCodec.write(List.of(), out))))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("format");
    }

    @Test
    void anySplitIntoPartitionsCombinedInAnyOrderGivesTheReferenceStatsAndDeals() {
        ForecastQuery all = ForecastQuery.of(GEN.config().asOfDate(), EUR, ZoneId.of("Europe/Berlin"));
        LocalDate month = GEN.config().asOfDate().withDayOfMonth(1);
        List<ForecastQuery> queries = List.of(all, all.withWindow(Period.inclusive(month, month.plusMonths(3).minusDays(1))),
                all.withOwners(Set.copyOf(GEN.managerIds().subList(0, 3))));
        Map<CurrencyUnit, Long> large = Map.of(EUR, 2_000_000L, USD, 1_000_000L);
        for (ForecastQuery q : queries) {
            OwnerAggregates<ForecastStats> expected = ForecastReference.aggregate(q, OPPORTUNITIES.stream());
            assertThat(expected.isEmpty()).as("%s", q).isFalse();
            Set<ForecastDeal> allDeals = new HashSet<>(ForecastReference.deals(q, null, OPPORTUNITIES.stream()).toList());
            Set<ForecastDeal> largeDeals = new HashSet<>(ForecastReference.deals(q, large, OPPORTUNITIES.stream()).toList());
            assertThat(largeDeals).isNotEmpty().hasSizeLessThan(allDeals.size());
            qt().withExamples(10).forAll(lists().of(integers().between(0, 4)).ofSize(OPPORTUNITIES.size()),
                    integers().between(0, 1_000)).checkAssert((assignment, seed) -> {
                        assertThat(this.<OwnerAggregates<ForecastStats>>split(assignment, seed,
                                () -> new ForecastAggregator(ForecastSpec.of(q)))).as("%s", q).isEqualTo(expected);
                        assertThat(new HashSet<>(this.<List<ForecastDeal>>split(assignment, seed,
                                () -> new ForecastDealsAggregator(ForecastSpec.of(q), null)))).isEqualTo(allDeals);
                        assertThat(new HashSet<>(this.<List<ForecastDeal>>split(assignment, seed,
                                () -> new ForecastDealsAggregator(ForecastSpec.of(q), large)))).isEqualTo(largeDeals);
                    });
        }
    }

    @Test
    void theQueryTravelsUnchanged() {
        ForecastQuery q = new ForecastQuery(Set.of(ManagerId.of("ann"), ManagerId.of("bob")), LocalDate.of(2026, 5, 17),
                false, USD, Period.inclusive(LocalDate.of(2026, 4, 1), LocalDate.of(2026, 9, 30)),
                ZoneId.of("Pacific/Kiritimati"));
        assertThat(roundTrip(ForecastSpec.of(q)).toQuery()).isEqualTo(q);
        ForecastQuery every = ForecastQuery.of(LocalDate.of(2026, 5, 17), EUR, ZoneId.of("UTC"));
        assertThat(roundTrip(ForecastSpec.of(every)).toQuery()).isEqualTo(every);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <R> R split(List<Integer> assignment, int seed,
            java.util.function.Supplier<com.hazelcast.aggregation.Aggregator> make) {
        List<com.hazelcast.aggregation.Aggregator> parts = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            // each partition gets its copy as it travelled to its member
            parts.add(roundTrip(make.get()));
        }
        for (int i = 0; i < OPPORTUNITIES.size(); i++) {
            Opportunity o = OPPORTUNITIES.get(i);
            parts.get(assignment.get(i)).accumulate(Map.entry(o.id().value(), new StoredOpportunity(o)));
        }
        // partial results travel between members: serialize them as Hazelcast would
        List<com.hazelcast.aggregation.Aggregator> shipped = new ArrayList<>();
        for (com.hazelcast.aggregation.Aggregator a : parts) {
            a.onAccumulationFinished();
            shipped.add(roundTrip(a));
        }
        Collections.shuffle(shipped, new Random(seed));
        com.hazelcast.aggregation.Aggregator total = shipped.get(0);
        for (int k = 1; k < shipped.size(); k++) {
            total.combine(shipped.get(k));
        }
        return (R) roundTrip(total).aggregate();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static DataInputStream in(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        }
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
