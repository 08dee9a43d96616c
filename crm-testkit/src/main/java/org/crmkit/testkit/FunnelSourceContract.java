package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.crmkit.core.ClientId;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.OpportunityFilter;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The contract every {@link FunnelSource} must meet, as a JUnit 5 suite (like
 * {@link CrmStorageContract}). An implementation proves itself with one subclass:
 *
 * <pre>{@code
 * class MySourceContractTest extends FunnelSourceContract {
 *     @Override
 *     protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
 *         return MySource.holding(process, opportunities);   // fresh, exactly these opportunities
 *     }
 * }
 * }</pre>
 *
 * <p>The suite builds a few sources from seeded random opportunities with awkward histories
 * (skips, backward moves, reopens, ties, nanoseconds, unknown amounts, three currencies) and
 * checks them with random queries (QuickTheories) against the reference definition,
 * {@link FunnelReference}: every mode's window (as-of instants inside the histories and on a
 * transition, creation windows, activity windows), both counting policies, structured and custom
 * filters (the custom predicate is {@link Serializable}, so a distributed source can ship it),
 * bucketing by creation and close date in several zones, the win/loss tables, and the ids behind
 * every measure. It checks the law {@code aggregate(a ++ b) = aggregate(a).plus(aggregate(b))},
 * and, as fixed regressions, the inclusive instant and a deal won or lost again after a reopen
 * inside an activity window.
 *
 * <p>Seeds: the data is fixed (seeded); the queries come from QuickTheories, whose seed is taken
 * from the system property {@code QT_SEED} when set (the build pins it on CI) and is printed
 * with any falsified example, so a failure can be replayed with {@code -DQT_SEED=...}.
 *
 * <p>{@link #sourceOf} is called a handful of times per class; a source that is
 * {@link AutoCloseable} is closed after the class. Test methods are package-private (not API).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FunnelSourceContract {
    /** The process of the suite's opportunities. */
    protected static final SalesProcess PROCESS = SalesProcesses.corporateSales();
    private static final ZoneId[] ZONES = {ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York")};
    private static final long DATA_SEED = 20261202L;
    private static final int EXAMPLES = 60;

    private final List<Object> opened = new ArrayList<>();
    private List<Opportunity> a;
    private List<Opportunity> b;
    private List<Opportunity> both;
    private FunnelSource sourceA;
    private FunnelSource sourceB;
    private FunnelSource sourceBoth;

    /** For subclasses. */
    protected FunnelSourceContract() {
    }

    /**
     * A fresh source holding exactly the given opportunities (and their process, when the
     * source stores processes).
     *
     * @param process the process of every opportunity
     * @param opportunities the opportunities
     * @return the source
     */
    protected abstract FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities);

    private FunnelSource open(List<Opportunity> opportunities) {
        FunnelSource s = sourceOf(PROCESS, opportunities);
        opened.add(s);
        return s;
    }

    @BeforeAll
    void load() {
        a = RandomHistories.of(PROCESS, DATA_SEED, 140, "a");
        b = RandomHistories.of(PROCESS, DATA_SEED + 1, 90, "b");
        both = new ArrayList<>(a);
        both.addAll(b);
        sourceA = open(a);
        sourceB = open(b);
        sourceBoth = open(both);
    }

    @AfterAll
    void close() throws Exception {
        for (Object s : opened) {
            if (s instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    /** A predicate that travels (it is serializable): a distributed source can run it on its members. */
    private static Predicate<Opportunity> idEndsWith(String suffix) {
        return (Predicate<Opportunity> & Serializable) o -> o.id().value().endsWith(suffix);
    }

    /**
     * A random query from a seed: owners (some without opportunities), an instant inside the
     * histories or exactly on a transition, windows, policy, filter, buckets, zone, win/loss.
     */
    private AggregateQuery query(long seed) {
        Random r = new Random(seed);
        Set<ManagerId> owners = new TreeSet<>();
        for (String m : RandomHistories.OWNERS) {
            if (r.nextInt(4) != 0) {
                owners.add(ManagerId.of(m));
            }
        }
        owners.add(ManagerId.of(r.nextBoolean() ? "nobody" : RandomHistories.OWNERS.get(0)));
        Instant asOf;
        if (r.nextInt(5) == 0) {
            // exactly on a transition: it is in effect
            List<StageTransition> ts = both.get(r.nextInt(both.size())).transitions();
            asOf = ts.get(r.nextInt(ts.size())).at();
        } else {
            asOf = RandomHistories.START.plus(Duration.ofHours(r.nextInt(22 * 30 * 24)));
        }
        Instant createdFrom = r.nextBoolean() ? null : RandomHistories.START.plus(Duration.ofHours(r.nextInt(200 * 24)));
        Instant createdUntil = r.nextBoolean() ? null
                : (createdFrom == null ? RandomHistories.START : createdFrom).plus(Duration.ofHours(1 + r.nextInt(300 * 24)));
        Instant activityFrom = r.nextInt(3) == 0 ? asOf.minus(Duration.ofHours(1 + r.nextInt(90 * 24))) : null;
        OpportunityFilter filter = switch (r.nextInt(6)) {
            case 0 -> OpportunityFilter.currencies(Set.of(Amounts.currency("EUR"), Amounts.currency("JPY")));
            case 1 -> OpportunityFilter.clients(Set.of(ClientId.of("c0"), ClientId.of("c2")));
            case 2 -> OpportunityFilter.matching(idEndsWith(Integer.toString(r.nextInt(10))));
            default -> OpportunityFilter.any();
        };
        ZoneId zone = ZONES[r.nextInt(ZONES.length)];
        BucketBy by = BucketBy.values()[r.nextInt(3)];
        List<Period> buckets = by == BucketBy.NONE ? List.of()
                : FiscalCalendar.calendarYear(zone).periods(r.nextBoolean() ? PeriodType.MONTH : PeriodType.QUARTER,
                        LocalDate.parse("2025-07-01"), LocalDate.parse("2026-12-31"));
        return AggregateQuery.builder(owners, PROCESS, asOf).created(createdFrom, createdUntil)
                .activityFrom(activityFrom).policy(r.nextBoolean() ? CountingPolicy.LINEAR : CountingPolicy.STRICT)
                .filter(filter).buckets(by, buckets).zone(zone).winLoss(r.nextBoolean()).build();
    }

    private static Gen<Long> seeds() {
        return SourceDSL.longs().all();
    }

    @Test
    void answersRandomQueriesAsTheReferenceDefinition() {
        qt().withExamples(EXAMPLES).forAll(seeds()).checkAssert(seed -> {
            AggregateQuery q = query(seed);
            assertThat(sourceBoth.aggregate(q)).as("query %d: %s", seed, q)
                    .isEqualTo(FunnelReference.aggregate(q, both.stream()));
        });
    }

    @Test
    void theRandomQueriesAreAnsweredWithEveryKindOfFigure() {
        // guards the property above against queries that only ever select nothing
        long won = 0;
        long lost = 0;
        long inWindow = 0;
        long bucketed = 0;
        long reasons = 0;
        for (long seed = 0; seed < 120; seed++) {
            AggregateQuery q = query(seed);
            long[] sums = new long[5];
            FunnelReference.aggregate(q, both.stream()).forEach((owner, bucket, part) -> {
                sums[0] += part.won();
                sums[1] += part.lost();
                sums[2] += q.hasActivityWindow() ? part.count() : 0;
                sums[3] += bucket > 0 ? part.count() : 0;
                sums[4] += part.byReason().size();
            });
            won += sums[0];
            lost += sums[1];
            inWindow += sums[2];
            bucketed += sums[3];
            reasons += sums[4];
        }
        assertThat(List.of(won, lost, inWindow, bucketed, reasons)).allMatch(v -> v >= 20);
    }

    @Test
    void theIdsBehindEveryMeasureAreTheReferenceIds() {
        qt().withExamples(EXAMPLES / 3).forAll(seeds()).checkAssert(seed -> {
            AggregateQuery q = query(seed);
            for (FunnelMeasure m : FunnelMeasure.values()) {
                int stages = m.perStage() ? q.openStages() : 1;
                for (int s = 0; s < stages; s++) {
                    try (Stream<OpportunityId> ids = sourceBoth.ids(q, m, s)) {
                        assertThat(ids.sorted().toList()).as("query %d, %s stage %d", seed, m, s)
                                .isEqualTo(FunnelReference.ids(q, m, s, both.stream()).sorted().toList());
                    }
                }
            }
        });
    }

    @Test
    void theAnswerOfAConcatenationIsTheSumOfTheAnswers() {
        qt().withExamples(EXAMPLES / 2).forAll(seeds()).checkAssert(seed -> {
            AggregateQuery q = query(seed);
            OwnerAggregates<FunnelStats> ofA = sourceA.aggregate(q);
            OwnerAggregates<FunnelStats> ofB = sourceB.aggregate(q);
            OwnerAggregates<FunnelStats> ofBoth = sourceBoth.aggregate(q);
            assertThat(ofBoth).as("query %d", seed).isEqualTo(ofA.plus(ofB)).isEqualTo(ofB.plus(ofA));
            assertThat(ofBoth.minus(ofB)).as("query %d", seed).isEqualTo(ofA);
        });
    }

    /**
     * Whether the source counts a deal whose tracked values changed after a query's instant as
     * it was then (every store, the reference source, a cluster answering by the reference). The
     * columns of a book as it is hold no field history: they say how many deals they count with
     * today's values instead ({@link FunnelSource#countedWithTodaysValues}).
     *
     * @return true unless the source holds no field history
     */
    protected boolean reconstructsFieldHistory() {
        return true;
    }

    @Test
    void aDealChangedAfterTheInstantCountsAsItWasThenOrTheSourceSaysHowManyItCountsAsNow() {
        // a third of the deals with hand-overs, amount, close date, probability and category
        // changes, a sixth with a history that starts after their creation
        Random r = new Random(DATA_SEED + 2);
        List<ManagerId> owners = RandomHistories.OWNERS.stream().map(ManagerId::of).toList();
        Instant until = RandomHistories.START.plus(Duration.ofDays(22 * 30));
        List<Opportunity> changed = new ArrayList<>();
        for (Opportunity o : both) {
            int pick = r.nextInt(6);
            if (pick < 2) {
                changed.add(FieldHistories.withRandomChanges(o, r, until, 6, owners));
            } else if (pick == 2) {
                // stored before its store kept field history: the history starts some days after creation
                changed.add(o.toBuilder().changes(List.of(org.crmkit.core.FieldChange.historyStart(
                        o.createdAt().plus(Duration.ofDays(1 + r.nextInt(300))), o.owner()))).build());
            } else {
                changed.add(o);
            }
        }
        assertThat(changed.stream().filter(o -> o.lastChangeAt().isPresent()).count()).isGreaterThan(40);
        FunnelSource source = open(changed);
        long[] reconstructed = {0};
        long[] unknownHistories = {0};
        qt().withFixedSeed(20261204L).withExamples(EXAMPLES).forAll(seeds()).checkAssert(seed -> {
            AggregateQuery q = query(seed);
            long changedSince = changed.stream()
                    .filter(o -> q.owners().contains(o.owner()) && o.changedAfter(q.asOf())).count();
            reconstructed[0] += changedSince;
            if (reportsHistoryStarts()) {
                java.util.Map<ManagerId, Long> unknown = changed.stream()
                        .filter(o -> !o.createdAt().isAfter(q.asOf()) && o.historyStartsAfter(q.asOf()))
                        .collect(java.util.stream.Collectors.groupingBy(Opportunity::owner,
                                java.util.stream.Collectors.counting()));
                unknownHistories[0] += unknown.values().stream().mapToLong(Long::longValue).sum();
                assertThat(source.historyStartsAfter(PROCESS, q.asOf())).as("query %d", seed).isEqualTo(unknown);
            }
            if (!reconstructsFieldHistory()) {
                assertThat(source.countedWithTodaysValues(PROCESS, q.owners(), q.asOf())).as("query %d", seed)
                        .isEqualTo(changedSince);
                return;
            }
            assertThat(source.aggregate(q)).as("query %d: %s", seed, q)
                    .isEqualTo(FunnelReference.aggregate(q, changed.stream()));
            assertThat(source.countedWithTodaysValues(PROCESS, q.owners(), q.asOf())).isZero();
            FunnelMeasure m = FunnelMeasure.values()[(int) Math.floorMod(seed, (long) FunnelMeasure.values().length)];
            try (Stream<OpportunityId> ids = source.ids(q, m, 0)) {
                assertThat(ids.sorted().toList()).as("query %d, %s", seed, m)
                        .isEqualTo(FunnelReference.ids(q, m, 0, changed.stream()).sorted().toList());
            }
        });
        assertThat(reconstructed[0]).as("deals changed after the queries' instants").isGreaterThan(100);
        if (reportsHistoryStarts()) {
            assertThat(unknownHistories[0]).as("deals whose history starts after the queries' instants")
                    .isGreaterThan(50);
        }
    }

    /**
     * Whether the source tells which deals' field history starts after an instant
     * ({@link FunnelSource#historyStartsAfter}); every store and the columns do.
     *
     * @return true unless the source cannot tell
     */
    protected boolean reportsHistoryStarts() {
        return true;
    }

    private static Opportunity deal(String id, String owner, List<StageTransition> ts, CloseInfo close) {
        String stage = ts.get(ts.size() - 1).to();
        return Opportunity.builder().id(id).title("Deal " + id).client(ClientRef.account("c", "Client"))
                .owner(ManagerId.of(owner)).processId(PROCESS.id()).stage(stage)
                .probability(PROCESS.stage(stage).defaultProbability()).currency("EUR")
                .amount(Amounts.of("1000.00", "EUR")).createdAt(ts.get(0).at())
                .expectedCloseDate(LocalDate.parse("2026-06-30")).transitions(ts).closeInfo(close).build();
    }

    private static StageTransition move(String from, String to, String at, String owner) {
        return new StageTransition(from, to, Instant.parse(at), ManagerId.of(owner));
    }

    @Test
    void aDealWonOrLostAgainAfterAReopenInsideAnActivityWindowCountsAsClosedInIt() {
        String q = SalesProcesses.QUALIFICATION;
        String kc = SalesProcesses.KEY_CONTACTS;
        String won = SalesProcess.WON;
        String lost = SalesProcess.LOST;
        List<Opportunity> deals = List.of(
                // won in January, reopened and won again in February
                deal("w", "m1", List.of(move(null, q, "2026-01-05T10:00:00Z", "m1"),
                        move(q, won, "2026-01-20T10:00:00Z", "m1"), move(won, kc, "2026-02-05T10:00:00Z", "m1"),
                        move(kc, won, "2026-02-15T10:00:00Z", "m1")),
                        CloseInfo.won(LocalDate.parse("2026-02-15"), Amounts.of("1500.00", "EUR"), "price")),
                // lost in January, reopened and lost again in February
                deal("l", "m2", List.of(move(null, q, "2026-01-06T10:00:00Z", "m2"),
                        move(q, lost, "2026-01-25T10:00:00Z", "m2"), move(lost, kc, "2026-02-03T10:00:00Z", "m2"),
                        move(kc, lost, "2026-02-20T10:00:00Z", "m2")),
                        CloseInfo.lost(LocalDate.parse("2026-02-20"), "fit", "Acme")),
                // won in January and left alone
                deal("j", "m3", List.of(move(null, q, "2026-01-07T10:00:00Z", "m3"),
                        move(q, won, "2026-01-22T10:00:00Z", "m3")),
                        CloseInfo.won(LocalDate.parse("2026-01-22"), Amounts.of("800.00", "EUR"), null)));
        FunnelSource source = open(deals);
        AggregateQuery february = AggregateQuery.builder(Set.of(ManagerId.of("m1"), ManagerId.of("m2"),
                ManagerId.of("m3")), PROCESS, Instant.parse("2026-03-01T00:00:00Z").minusNanos(1))
                .activityFrom(Instant.parse("2026-02-01T00:00:00Z")).winLoss(true).build();
        OwnerAggregates<FunnelStats> answer = source.aggregate(february);
        assertThat(answer).isEqualTo(FunnelReference.aggregate(february, deals.stream()));
        assertThat(answer.part(ManagerId.of("m1"), 0).won()).isEqualTo(1);
        assertThat(answer.part(ManagerId.of("m1"), 0).minor(FunnelStats.Money.WON_REVENUE, Amounts.currency("EUR")))
                .isEqualTo(150_000);
        assertThat(answer.part(ManagerId.of("m2"), 0).lost()).isEqualTo(1);
        assertThat(answer.part(ManagerId.of("m2"), 0).byCompetitor()).containsOnlyKeys("Acme");
        assertThat(answer.part(ManagerId.of("m3"), 0)).isNull();
        try (Stream<OpportunityId> ids = source.ids(february, FunnelMeasure.WON, 0)) {
            assertThat(ids.toList()).containsExactly(OpportunityId.of("w"));
        }
        try (Stream<OpportunityId> ids = source.ids(february, FunnelMeasure.LOST, 0)) {
            assertThat(ids.toList()).containsExactly(OpportunityId.of("l"));
        }
    }

    @Test
    void aTransitionAtTheInstantOfTheQueryIsInEffect() {
        Opportunity o = both.stream().filter(x -> x.status() == OpportunityStatus.WON).findFirst().orElseThrow();
        Instant closing = o.transitions().get(o.transitions().size() - 1).at();
        AggregateQuery at = AggregateQuery.builder(Set.of(o.owner()), PROCESS, closing).build();
        AggregateQuery before = AggregateQuery.builder(Set.of(o.owner()), PROCESS, closing.minusNanos(1)).build();
        try (Stream<OpportunityId> wonAt = sourceBoth.ids(at, FunnelMeasure.WON, 0);
                Stream<OpportunityId> wonBefore = sourceBoth.ids(before, FunnelMeasure.WON, 0)) {
            assertThat(wonAt.toList()).contains(o.id());
            assertThat(wonBefore.toList()).doesNotContain(o.id());
        }
        assertThat(sourceBoth.aggregate(at)).isEqualTo(FunnelReference.aggregate(at, both.stream()));
        assertThat(sourceBoth.aggregate(before)).isEqualTo(FunnelReference.aggregate(before, both.stream()));
    }
}
