package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.core.ClientId;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelNotice;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.OpportunityFilter;
import org.crmkit.funnel.OverduePolicy;
import org.crmkit.core.OpportunityId;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-owner stats the store computes in SQL equal the reference definition
 * ({@link FunnelReference}) on the same seeded random data, for every shape of aggregate query:
 * instants inside the histories, activity windows, creation windows, bucketing by creation and
 * close date in a zone other than UTC, structured and custom filters, both counting policies,
 * with and without the win/loss tables. Queries mix opportunities whose state is read from
 * their row (no transition after the instant) with replayed ones, and the stats survive the
 * upgrade of older rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FunnelPushdownBehaviour {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private CrmStore store;
    private List<Opportunity> book;

    abstract CrmStore.Builder freshStore();

    /**
     * Whether stores of this database can hold data written at schema version 1 (SQLite joined
     * at version 3, so its version 2 and 3 scripts have nothing to backfill).
     *
     * @return true when the upgrade from version 1 is a real path
     */
    boolean upgradesFromVersion1() {
        return true;
    }

    @BeforeAll
    void load() {
        store = freshStore().build();
        store.processes().save(RandomBook.PROCESS);
        // a third with field histories: figures as of a past instant reconstruct them
        book = RandomBook.withFieldHistories(RandomBook.opportunities(20261123L, 600), 20261204L);
        store.opportunities().insertAll(book);
    }

    @AfterAll
    void close() {
        store.close();
    }

    private static Set<ManagerId> owners(String... ids) {
        return Stream.of(ids).map(ManagerId::of).collect(Collectors.toSet());
    }

    private static Set<ManagerId> manyOwners() {
        Set<ManagerId> out = new java.util.HashSet<>(owners("m1", "m3"));
        for (int i = 0; i < 300; i++) {
            out.add(ManagerId.of("nobody-" + i));
        }
        return out;
    }

    private static List<Period> months(LocalDate from, int count, boolean skipEveryThird) {
        List<Period> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (skipEveryThird && i % 3 == 2) {
                continue;
            }
            out.add(Period.inclusive(from.plusMonths(i), from.plusMonths(i + 1).minusDays(1)));
        }
        return out;
    }

    private static AggregateQuery query(Set<ManagerId> owners, Instant asOf, Instant createdFrom, Instant createdUntil,
            Instant activityFrom, OpportunityFilter filter, BucketBy by, List<Period> buckets, ZoneId zone) {
        return AggregateQuery.builder(owners, RandomBook.PROCESS, asOf).created(createdFrom, createdUntil)
                .activityFrom(activityFrom).filter(filter).buckets(by, buckets).zone(zone).build();
    }

    private List<AggregateQuery> queries() {
        Set<ManagerId> all = owners("m1", "m2", "m3", "m4");
        Instant end = Instant.parse("2030-01-01T00:00:00Z");
        Instant mid = Instant.parse("2026-01-15T12:00:00.5Z");
        Instant early = Instant.parse("2025-09-01T00:00:00Z");
        List<Period> monthly = months(LocalDate.of(2025, 6, 1), 20, true);
        List<Period> quarterly = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            LocalDate start = LocalDate.of(2025, 7, 1).plusMonths(3L * i);
            quarterly.add(Period.inclusive(start, start.plusMonths(3).minusDays(1)));
        }
        OpportunityFilter any = OpportunityFilter.any();
        // an instant equal to a transition's: that transition is in effect (inclusive)
        Instant onATransition = book.stream().filter(o -> o.transitions().size() >= 3).findFirst().orElseThrow()
                .transitions().get(1).at();
        List<AggregateQuery> shapes = List.of(
                query(all, onATransition, null, null, null, any, BucketBy.CLOSE, quarterly, NEW_YORK),
                query(all, end, null, null, null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(all, mid, null, null, null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(owners("m1", "m3"), early, null, null, null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(all, mid, null, null, mid.minus(RandomBook.days(75)), any, BucketBy.NONE, List.of(),
                        ZoneOffset.UTC),
                query(all, end, Instant.parse("2025-10-01T04:00:00Z"), Instant.parse("2026-01-01T05:00:00.25Z"), null,
                        any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(all, end, null, null, null, any, BucketBy.CREATED, monthly, NEW_YORK),
                query(all, mid, null, null, null, any, BucketBy.CLOSE, quarterly, NEW_YORK),
                query(all, end, null, null, Instant.parse("2026-02-01T00:00:00Z"), any, BucketBy.CLOSE, monthly,
                        ZoneOffset.UTC),
                query(all, end, null, null, null,
                        OpportunityFilter.currencies(Set.of(Amounts.currency("EUR"), Amounts.currency("JPY"))),
                        BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(owners("m2", "m4"), mid, null, null, null,
                        OpportunityFilter.clients(Set.of(ClientId.of("c1"), ClientId.of("c2"))), BucketBy.CREATED,
                        quarterly, NEW_YORK),
                query(all, end, null, null, null, OpportunityFilter.matching(o -> o.id().value().endsWith("7")),
                        BucketBy.NONE, List.of(), ZoneOffset.UTC),
                // one owner; replayed state, prior state and times in stage, bucketed by creation
                query(owners("m2"), mid, null, null, mid.minus(RandomBook.days(40)), any, BucketBy.CREATED, quarterly,
                        NEW_YORK),
                // more owners than a database may test per row: some own nothing, m2 and m4 are left out
                query(manyOwners(), mid, null, null, null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(manyOwners(), end, null, null, mid, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(all, early, Instant.parse("2025-07-01T00:00:00Z"), null, early.minus(RandomBook.days(30)), any,
                        BucketBy.CLOSE, monthly, ZoneOffset.UTC));
        // every shape under both policies, with and without the win/loss tables
        List<AggregateQuery> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            AggregateQuery q = shapes.get(i);
            out.add(q.toBuilder().policy(i % 2 == 0 ? CountingPolicy.LINEAR : CountingPolicy.STRICT)
                    .winLoss(i % 3 == 0).build());
            out.add(q.toBuilder().policy(i % 2 == 0 ? CountingPolicy.STRICT : CountingPolicy.LINEAR)
                    .winLoss(i % 3 != 0).build());
        }
        return out;
    }

    /** The reference source: the book in crm-core's in-memory store, answered by the reference definitions. */
    private FunnelSource referenceSource() {
        org.crmkit.core.memory.InMemoryStorage memory = new org.crmkit.core.memory.InMemoryStorage();
        memory.processes().save(RandomBook.PROCESS);
        memory.opportunities().insertAll(book);
        return org.crmkit.funnel.RepositoryFunnelSource.of(memory.opportunities());
    }

    private OwnerAggregates<FunnelStats> reference(AggregateQuery q) {
        return reference(book, q);
    }

    private static OwnerAggregates<FunnelStats> reference(List<Opportunity> opportunities, AggregateQuery q) {
        return FunnelReference.aggregate(q, opportunities.stream());
    }

    @Test
    void statsFollowHistoriesChangedByUpdates() {
        // an update rewrites the derived columns (state, last transition, times in stage)
        try (CrmStore changedStore = freshStore().build()) {
            changedStore.processes().save(RandomBook.PROCESS);
            changedStore.opportunities().insertAll(book);
            int open = RandomBook.PROCESS.openStageCount();
            Instant later = Instant.parse("2027-03-01T00:00:00Z");
            List<Opportunity> changed = new ArrayList<>();
            for (Opportunity o : book) {
                if (changed.size() < 40 && o.status() == OpportunityStatus.OPEN) {
                    Opportunity current = changedStore.opportunities().get(o.id());
                    String next = RandomBook.PROCESS.stages().get((RandomBook.PROCESS.indexOf(current.stage()) + 1) % open)
                            .code();
                    List<StageTransition> ts = new ArrayList<>(current.transitions());
                    ts.add(new StageTransition(current.stage(), next, later.plusSeconds(3_600L * changed.size()),
                            current.owner()));
                    current = changedStore.opportunities().update(
                            current.toBuilder().stage(next).transitions(ts).build());
                    changed.add(current);
                }
            }
            assertThat(changed).hasSize(40);
            List<Opportunity> now;
            try (Stream<Opportunity> all = changedStore.opportunities().stream(OpportunityQuery.all())) {
                now = all.toList();
            }
            assertThat(now).hasSameSizeAs(book);
            for (AggregateQuery q : queries()) {
                assertThat(changedStore.aggregate(q)).as("stats of %s", q).isEqualTo(reference(now, q));
            }
            assertThat(reference(now, queries().get(1))).isNotEqualTo(reference(queries().get(1)));
        }
    }

    @Test
    void statsGroupedInSqlEqualTheReferenceForEveryQueryShape() {
        int nonEmpty = 0;
        for (AggregateQuery q : queries()) {
            OwnerAggregates<FunnelStats> expected = reference(q);
            assertThat(store.aggregate(q)).as("stats of %s", q).isEqualTo(expected);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("queries with stats (else the comparison proves nothing)")
                .isEqualTo(queries().size());
    }

    @Test
    void queriesMixOpportunitiesReadFromTheirRowWithReplayedOnes() {
        Instant mid = Instant.parse("2026-01-15T12:00:00.5Z");
        long stored = book.stream().filter(o -> o.createdAt().isBefore(mid)
                && o.transitions().get(o.transitions().size() - 1).at().isBefore(mid)).count();
        long replayed = book.stream().filter(o -> o.createdAt().isBefore(mid)
                && !o.transitions().get(o.transitions().size() - 1).at().isBefore(mid)).count();
        assertThat(stored).as("opportunities whose state as of mid is their current state").isGreaterThan(50);
        assertThat(replayed).as("opportunities with transitions at or after mid").isGreaterThan(50);
        long revisits = book.stream().filter(o -> o.transitions().stream().map(t -> t.to()).distinct().count()
                < o.transitions().size()).count();
        assertThat(revisits).as("opportunities entering a stage twice (time in stage summed over visits)")
                .isGreaterThan(10);
    }

    @Test
    void statsStayEqualAfterUpgradingDataWrittenBeforeTheFunnelColumnsExisted() throws Exception {
        Assumptions.assumeTrue(upgradesFromVersion1(), "no store of this database has version 1 data");
        // takes a store's rows back to schema version 1, then lets the store migrate them
        CrmStore old = freshStore().build();
        old.processes().save(RandomBook.PROCESS);
        old.opportunities().insertAll(book);
        DataSource ds = old.dataSource();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String index : List.of("crm_opportunity_last_transition", "crm_opportunity_process_owner",
                    "crm_opportunity_process_hash", "crm_opportunity_last_change", "crm_opportunity_history_start")) {
                s.execute("DROP INDEX " + index);
            }
            List<String> added = new ArrayList<>(List.of("last_transition_s", "last_transition_n", "process_hash",
                    "content_hi", "content_lo", "last_change_s", "last_change_n", "history_start_s", "history_start_n"));
            for (int k = 0; k < 12; k++) {
                added.add("stage_s_" + k);
            }
            for (String col : added) {
                s.execute("ALTER TABLE crm_opportunity DROP COLUMN " + col);
            }
            for (String col : List.of("next_s", "next_n")) {
                s.execute("ALTER TABLE crm_opp_transition DROP COLUMN " + col);
            }
            s.execute("DROP TABLE crm_opp_change");
            s.execute("DROP TABLE crm_write_lock");
            for (String table : List.of("crm_agg_delta", "crm_agg", "crm_agg_state")) {
                s.execute("DROP TABLE " + table);
            }
            if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                // version 6 replaced the children's foreign keys by per-statement triggers
                for (String child : List.of("crm_opp_competitor", "crm_opp_participant", "crm_opp_lead",
                        "crm_opp_product_line", "crm_opp_history", "crm_opp_transition", "crm_opp_step")) {
                    s.execute("DROP TRIGGER " + child + "_parent_ins ON " + child);
                    s.execute("DROP TRIGGER " + child + "_parent_upd ON " + child);
                    s.execute("ALTER TABLE " + child + " ADD FOREIGN KEY (opp_id) REFERENCES crm_opportunity (id)"
                            + " ON DELETE CASCADE");
                }
                s.execute("DROP TRIGGER crm_opportunity_cascade ON crm_opportunity");
                s.execute("DROP TRIGGER crm_opportunity_id_kept ON crm_opportunity");
                s.execute("DROP FUNCTION crm_opp_child_check(), crm_opp_cascade(), crm_opp_id_kept()");
            }
            assertThat(s.executeUpdate("DELETE FROM \"crm_schema_history\" WHERE \"version\" IN ('2', '3', '4', '5', '6',"
                    + " '7', '8', '9', '10')")).isEqualTo(9);
        }
        // data of version 1 has no field history: each deal counts with the values of its row
        List<Opportunity> withoutHistory = book.stream().map(o -> o.toBuilder().changes(List.of()).build()).toList();
        try (CrmStore upgraded = CrmStore.builder().dataSource(ds).build()) {
            for (AggregateQuery q : queries()) {
                assertThat(upgraded.aggregate(q)).as("stats of %s", q).isEqualTo(reference(withoutHistory, q));
            }
            // rows from before version 8 have no content fingerprint: the first upsert of them as
            // they are rewrites them all, the second finds every one unchanged
            List<Opportunity> stored;
            try (Stream<Opportunity> all = upgraded.opportunities().stream(OpportunityQuery.all())) {
                stored = all.toList();
            }
            assertThat(upgraded.opportunities().upsertAll(stored, org.crmkit.core.spi.UpsertMode.CHECK_VERSIONS)
                    .updated()).isEqualTo(stored.size());
            List<Opportunity> rewritten;
            try (Stream<Opportunity> all = upgraded.opportunities().stream(OpportunityQuery.all())) {
                rewritten = all.toList();
            }
            assertThat(upgraded.opportunities().upsertAll(rewritten, org.crmkit.core.spi.UpsertMode.CHECK_VERSIONS)
                    .unchanged()).isEqualTo(stored.size());
        } finally {
            old.close();
        }
    }

    @Test
    void aDealHandedOverAfterTheInstantCountsForItsOwnerOfThenOnEveryPathAndInTheWholeBook() {
        ManagerId m1 = ManagerId.of("m1");
        ManagerId m5 = ManagerId.of("m5");
        List<Opportunity> open = book.stream().filter(o -> o.changes().isEmpty() && o.status() == OpportunityStatus.OPEN
                && o.amount().isPresent() && o.currency().getCurrencyCode().equals("EUR")).limit(2).toList();
        Instant lastTransition = open.stream().map(o -> o.transitions().get(o.transitions().size() - 1).at())
                .max(Instant::compareTo).orElseThrow();
        Instant handover = lastTransition.plus(RandomBook.days(3));
        // m5 owns no deal today: the first one was handed from m5 to m1 after every stage change
        Opportunity handed = open.get(0).toBuilder().owner(m5).build().edit(handover, m5).owner(m1).apply();
        List<Opportunity> deals = List.of(handed, open.get(1).toBuilder().owner(m1).build());
        try (CrmStore s = freshStore().build()) {
            s.processes().save(RandomBook.PROCESS);
            s.opportunities().insertAll(deals);
            Instant before = handover.minusSeconds(1);
            AggregateQuery then = AggregateQuery.builder(Set.of(m1, m5), RandomBook.PROCESS, before).build();
            assertThat(s.aggregate(then)).isEqualTo(reference(deals, then));
            assertThat(s.aggregate(then).part(m5, 0).count()).isEqualTo(1);
            // the maintained aggregates hold today's owners: they do not answer before the hand-over
            assertThat(s.aggregate(then).path()).isEqualTo(org.crmkit.funnel.spi.AnswerPath.SCAN);
            AggregateQuery now = AggregateQuery.builder(Set.of(m1, m5), RandomBook.PROCESS,
                    handover.plusSeconds(1)).build();
            assertThat(s.aggregate(now)).isEqualTo(reference(deals, now));
            assertThat(s.aggregate(now).path()).isEqualTo(org.crmkit.funnel.spi.AnswerPath.MAINTAINED);
            assertThat(s.aggregate(now).find(m5, 0)).isEmpty();
            try (Stream<OpportunityId> ids = s.ids(then.withOwners(Set.of(m5)), FunnelMeasure.POPULATION, 0)) {
                assertThat(ids.toList()).containsExactly(handed.id());
            }
            // the whole book as of before the hand-over holds m5's deal (m5 is in no unit: noticed)
            OrgStructure sales = OrgStructure.builder().manager(m1, "Ann").unit(UnitId.of("sales"), "Sales",
                    UnitKind.DEPARTMENT).member(m1, UnitId.of("sales")).build();
            org.crmkit.core.memory.InMemoryStorage memory = new org.crmkit.core.memory.InMemoryStorage();
            memory.processes().save(RandomBook.PROCESS);
            memory.opportunities().insertAll(deals);
            Clock clock = Clock.fixed(handover.plus(RandomBook.days(30)), ZoneOffset.UTC);
            FunnelQuery wholeBook = FunnelQuery.builder(RandomBook.PROCESS).mode(FunnelMode.SNAPSHOT).asOf(before)
                    .reportingCurrency("EUR").build();
            FunnelResult fromStore = FunnelEngine.builder().org(sales).source(s).clock(clock).build().funnel(wholeBook);
            assertThat(fromStore).isEqualTo(FunnelEngine.builder().org(sales)
                    .source(org.crmkit.funnel.RepositoryFunnelSource.of(memory.opportunities())).clock(clock).build()
                    .funnel(wholeBook));
            assertThat(fromStore.count()).isEqualTo(2);
            assertThat(fromStore.notice(FunnelNotice.Kind.OWNERS_OUTSIDE_ORG).orElseThrow().subjects())
                    .containsExactly("m5");
        }
    }

    @Test
    void idsForDrillDownEqualTheReferenceIds() {
        for (AggregateQuery q : queries().subList(0, 10)) {
            for (FunnelMeasure m : FunnelMeasure.values()) {
                int stage = m.perStage() ? 1 : 0;
                List<OpportunityId> expected = FunnelReference.ids(q, m, stage, book.stream()).sorted().toList();
                try (Stream<OpportunityId> ids = store.ids(q, m, stage)) {
                    assertThat(ids.sorted().toList()).as("%s of %s", m, q).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void funnelReportsFromTheStoreEqualTheInMemoryEngineReports() {
        OrgStructure org = OrgStructure.builder().manager(ManagerId.of("m1"), "Ann").manager(ManagerId.of("m2"), "Bob").manager(ManagerId.of("m3"), "Cid")
                .manager(ManagerId.of("m4"), "Dan").unit(UnitId.of("sales"), "Sales", UnitKind.DEPARTMENT).member(ManagerId.of("m1"), UnitId.of("sales"))
                .member(ManagerId.of("m2"), UnitId.of("sales")).member(ManagerId.of("m3"), UnitId.of("sales")).member(ManagerId.of("m4"), UnitId.of("sales")).build();
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
        FunnelEngine fromStore = FunnelEngine.builder().org(org).source(store).clock(clock).build();
        // the reference source over the book: deals changed after an instant count as they were
        FunnelEngine inMemory = FunnelEngine.builder().org(org).source(referenceSource()).clock(clock).build();
        Period q1 = Period.inclusive(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31));
        OpportunityFilter eur = OpportunityFilter.currencies(Set.of(Amounts.currency("EUR")));
        List<FunnelQuery> reports = List.of(
                FunnelQuery.builder(RandomBook.PROCESS).nodes(UnitId.of("sales")).reportingCurrency("EUR")
                        .filter(eur).period(q1).build(),
                FunnelQuery.builder(RandomBook.PROCESS).nodes(UnitId.of("sales")).reportingCurrency("EUR")
                        .filter(eur).period(q1).mode(FunnelMode.ACTIVITY).policy(CountingPolicy.STRICT).build(),
                FunnelQuery.builder(RandomBook.PROCESS).nodes(ManagerId.of("m2")).reportingCurrency("EUR")
                        .filter(eur).mode(FunnelMode.SNAPSHOT).asOf(Instant.parse("2026-02-10T10:00:00Z")).build());
        for (FunnelQuery report : reports) {
            assertThat(fromStore.funnel(report)).as("%s", report).isEqualTo(inMemory.funnel(report));
            if (report.asOf() != null) {
                // so do the in-memory columns of the book as it was at the report's instant (as of
                // the clock's now they drop the later transitions its notice counts)
                assertThat(fromStore.funnel(report)).as("%s", report).isEqualTo(FunnelEngine.builder().org(org)
                        .source(OpportunityColumns.asOf(book.stream(), report.asOf())).clock(clock).build()
                        .funnel(report));
            }
        }
        // coverage of the period holding "now" (overdue deals of every earlier day count in it by
        // default: a bucket from the store's earliest date) and of a past one, under both policies
        Period q2 = Period.inclusive(LocalDate.of(2026, 4, 1), LocalDate.of(2026, 6, 30));
        FunnelQuery eurQuery = FunnelQuery.builder(RandomBook.PROCESS).reportingCurrency("EUR").filter(eur).build();
        for (Period p : List.of(q1, q2)) {
            SalesPlan plan = new SalesPlan(UnitId.of("sales"), p,
                    Amounts.of("1000000.00", "EUR"));
            for (OverduePolicy policy : OverduePolicy.values()) {
                assertThat(fromStore.coverage(eurQuery, plan, policy)).as("%s %s", p, policy)
                        .isEqualTo(inMemory.coverage(eurQuery, plan, policy));
            }
            assertThat(fromStore.coverage(eurQuery, plan)).isEqualTo(inMemory.coverage(eurQuery, plan));
        }
        assertThat(inMemory.coverage(eurQuery, new SalesPlan(UnitId.of("sales"), q2,
                Amounts.of("1.00", "EUR"))).openCount())
                .as("the random book has open deals overdue at the clock's now, so the policy matters")
                .isGreaterThan(inMemory.coverage(eurQuery, new SalesPlan(UnitId.of("sales"), q2,
                        Amounts.of("1.00", "EUR")), OverduePolicy.CLOSE_DATE_PERIOD).openCount());
    }

    /** The reference process with two open stages swapped and a stage renamed in place. */
    private static org.crmkit.core.SalesProcess reordered() {
        List<org.crmkit.core.Stage> open = new ArrayList<>(RandomBook.PROCESS.openStages());
        java.util.Collections.swap(open, 1, 3);
        return org.crmkit.core.SalesProcess.of(RandomBook.PROCESS.id(), RandomBook.PROCESS.name(),
                RandomBook.PROCESS.mode(), open);
    }

    @Test
    void savingAReorderedProcessReDerivesItsOpportunitiesAndTheOldOrderIsRefused() {
        try (CrmStore changed = freshStore().build()) {
            changed.processes().save(RandomBook.PROCESS);
            changed.opportunities().insertAll(book);
            org.crmkit.core.SalesProcess reordered = reordered();
            List<AggregateQuery> shapes = queries().stream().filter(q -> q.filter().isStructured()).toList();
            changed.processes().save(reordered);
            for (AggregateQuery q : shapes) {
                AggregateQuery rq = q.toBuilder().process(reordered).build();
                assertThat(changed.aggregate(rq)).as("stats of %s", rq).isEqualTo(reference(rq));
            }
            // the counts moved with the stages: a query with the old order would be wrong, so it is refused
            assertThat(reference(shapes.get(1).toBuilder().process(reordered).build()))
                    .isNotEqualTo(reference(shapes.get(1)));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> changed.aggregate(shapes.get(1)))
                    .isInstanceOf(org.crmkit.core.ValidationException.class)
                    .hasMessageContaining("another order of the stages").hasMessageContaining("corporate-sales");
            // and back: the original order is current again
            changed.processes().save(RandomBook.PROCESS);
            assertThat(changed.aggregate(shapes.get(1))).isEqualTo(reference(shapes.get(1)));
        }
    }

    @Test
    void aProcessWithoutAStageInUseIsNotSavedAndAStaleRowIsRefusedByName() throws Exception {
        try (CrmStore changed = freshStore().build()) {
            changed.processes().save(RandomBook.PROCESS);
            changed.opportunities().insertAll(book);
            List<org.crmkit.core.Stage> open = new ArrayList<>(RandomBook.PROCESS.openStages());
            open.remove(2);
            org.crmkit.core.SalesProcess narrower = org.crmkit.core.SalesProcess.of(RandomBook.PROCESS.id(),
                    RandomBook.PROCESS.name(), RandomBook.PROCESS.mode(), open);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> changed.processes().save(narrower))
                    .isInstanceOf(org.crmkit.core.ValidationException.class)
                    .hasMessageContaining("every stage opportunity o");
            assertThat(changed.processes().get(RandomBook.PROCESS.id())).isEqualTo(RandomBook.PROCESS);
            AggregateQuery q = queries().get(1);
            assertThat(changed.aggregate(q)).isEqualTo(reference(q));
            // a row whose derived columns belong to another definition (e.g. written while the
            // process was being saved) is found and named
            String victim = book.get(7).id().value();
            try (Connection c = changed.dataSource().getConnection();
                    java.sql.PreparedStatement ps = c.prepareStatement(
                            "UPDATE crm_opportunity SET process_hash = 42 WHERE id = ?")) {
                ps.setString(1, victim);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> changed.aggregate(q))
                    .isInstanceOf(org.crmkit.core.ValidationException.class).hasMessageContaining(victim);
            changed.processes().save(RandomBook.PROCESS); // same definition: nothing to re-derive
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> changed.aggregate(q))
                    .hasMessageContaining(victim);
            changed.processes().save(reordered());
            changed.processes().save(RandomBook.PROCESS);
            assertThat(changed.aggregate(q)).isEqualTo(reference(q));
        }
    }

    @Test
    void ownerSetsBeyondEveryParameterLimitAreAnswered() {
        Set<ManagerId> owners = new java.util.HashSet<>(owners("m1", "m3", "m4"));
        for (int i = 0; i < 40_000; i++) {
            owners.add(ManagerId.of("nobody-" + i));
        }
        Instant mid = Instant.parse("2026-01-15T12:00:00.5Z");
        for (AggregateQuery q : List.of(
                query(owners, mid, null, null, null, OpportunityFilter.any(), BucketBy.NONE, List.of(), ZoneOffset.UTC),
                query(owners, mid, null, null, mid.minus(RandomBook.days(60)), OpportunityFilter.any(), BucketBy.NONE,
                        List.of(), ZoneOffset.UTC))) {
            OwnerAggregates<FunnelStats> expected = reference(q);
            assertThat(expected.owners()).hasSize(3);
            assertThat(store.aggregate(q)).isEqualTo(expected);
            try (Stream<OpportunityId> ids = store.ids(q, FunnelMeasure.POPULATION, 0)) {
                assertThat(ids.sorted().toList()).isEqualTo(
                        FunnelReference.ids(q, FunnelMeasure.POPULATION, 0, book.stream()).sorted().toList());
            }
        }
    }

    @Test
    void theStoresNoticesOfOwnersOutsideTheOrgAndChangesAfterNowEqualTheInMemoryOnes() {
        // m4 has deals but no unit; "now" falls inside the book, so later changes exist
        OrgStructure org = OrgStructure.builder().manager(ManagerId.of("m1"), "Ann")
                .manager(ManagerId.of("m2"), "Bob").unit(UnitId.of("sales"), "Sales", UnitKind.DEPARTMENT)
                .member(ManagerId.of("m1"), UnitId.of("sales")).member(ManagerId.of("m2"), UnitId.of("sales")).build();
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
        FunnelEngine fromStore = FunnelEngine.builder().org(org).source(store).clock(clock).build();
        // the reference source over the book: deals changed after an instant count as they were
        FunnelEngine inMemory = FunnelEngine.builder().org(org).source(referenceSource()).clock(clock).build();
        OpportunityFilter eur = OpportunityFilter.currencies(Set.of(Amounts.currency("EUR")));
        FunnelQuery wholeBook = FunnelQuery.builder(RandomBook.PROCESS).filter(eur).build();
        for (FunnelQuery q : List.of(wholeBook, wholeBook.withNodes(List.of(UnitId.of("sales"))),
                wholeBook.withNodes(List.of(ManagerId.of("m3"))))) {
            FunnelResult stored = fromStore.funnel(q);
            assertThat(stored).as("%s", q).isEqualTo(inMemory.funnel(q));
            assertThat(stored.notice(FunnelNotice.Kind.CHANGES_AFTER_AS_OF)).as("%s", q).isPresent();
        }
        FunnelResult sales = fromStore.funnel(wholeBook.withNodes(List.of(UnitId.of("sales"))));
        assertThat(sales.notice(FunnelNotice.Kind.OWNERS_OUTSIDE_ORG).orElseThrow().subjects())
                .containsExactly("m3", "m4");
        assertThat(sales.count() + sales.notice(FunnelNotice.Kind.OWNERS_OUTSIDE_ORG).orElseThrow().count())
                .isEqualTo(fromStore.funnel(wholeBook).count());
    }
}
