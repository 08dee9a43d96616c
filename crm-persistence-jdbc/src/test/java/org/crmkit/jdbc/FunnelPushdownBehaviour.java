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
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.OpportunityFilter;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cells the store computes in SQL equal the in-memory aggregation of the reference facts
 * ({@link CellQuery#factsOf}) on the same seeded random data, for every shape of cell query:
 * replay instants inside the histories, activity windows, creation windows, bucketing by
 * creation and close date in a zone other than UTC, structured and custom filters. Queries
 * mix opportunities whose state is read from their row (no transition at or after the
 * instant) with replayed ones, and the cells survive the upgrade of older rows.
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
        book = RandomBook.opportunities(20261123L, 600);
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
            out.add(Period.custom(from.plusMonths(i), from.plusMonths(i + 1)));
        }
        return out;
    }

    private List<CellQuery> queries() {
        Set<ManagerId> all = owners("m1", "m2", "m3", "m4");
        Instant end = Instant.parse("2030-01-01T00:00:00Z");
        Instant mid = Instant.parse("2026-01-15T12:00:00.5Z");
        Instant early = Instant.parse("2025-09-01T00:00:00Z");
        List<Period> monthly = months(LocalDate.of(2025, 6, 1), 20, true);
        List<Period> quarterly = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            LocalDate start = LocalDate.of(2025, 7, 1).plusMonths(3L * i);
            quarterly.add(Period.custom(start, start.plusMonths(3)));
        }
        OpportunityFilter any = OpportunityFilter.any();
        // an instant equal to a transition's: that transition is not yet in the state
        Instant onATransition = book.stream().filter(o -> o.transitions().size() >= 3).findFirst().orElseThrow()
                .transitions().get(1).at();
        return List.of(
                new CellQuery(all, RandomBook.PROCESS, onATransition, null, null, null, any, BucketBy.CLOSE, quarterly,
                        NEW_YORK),
                new CellQuery(all, RandomBook.PROCESS, end, null, null, null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                new CellQuery(all, RandomBook.PROCESS, mid, null, null, null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                new CellQuery(owners("m1", "m3"), RandomBook.PROCESS, early, null, null, null, any, BucketBy.NONE,
                        List.of(), ZoneOffset.UTC),
                new CellQuery(all, RandomBook.PROCESS, mid, null, null, mid.minus(RandomBook.days(75)), any,
                        BucketBy.NONE, List.of(), ZoneOffset.UTC),
                new CellQuery(all, RandomBook.PROCESS, end, Instant.parse("2025-10-01T04:00:00Z"),
                        Instant.parse("2026-01-01T05:00:00.25Z"), null, any, BucketBy.NONE, List.of(), ZoneOffset.UTC),
                new CellQuery(all, RandomBook.PROCESS, end, null, null, null, any, BucketBy.CREATED, monthly, NEW_YORK),
                new CellQuery(all, RandomBook.PROCESS, mid, null, null, null, any, BucketBy.CLOSE, quarterly, NEW_YORK),
                new CellQuery(all, RandomBook.PROCESS, end, null, null, Instant.parse("2026-02-01T00:00:00Z"), any,
                        BucketBy.CLOSE, monthly, ZoneOffset.UTC),
                new CellQuery(all, RandomBook.PROCESS, end, null, null, null,
                        OpportunityFilter.currencies(Set.of(Amounts.currency("EUR"), Amounts.currency("JPY"))),
                        BucketBy.NONE, List.of(), ZoneOffset.UTC),
                new CellQuery(owners("m2", "m4"), RandomBook.PROCESS, mid, null, null, null,
                        OpportunityFilter.clients(Set.of(ClientId.of("c1"), ClientId.of("c2"))), BucketBy.CREATED,
                        quarterly, NEW_YORK),
                new CellQuery(all, RandomBook.PROCESS, end, null, null, null,
                        OpportunityFilter.matching(o -> o.id().value().endsWith("7")), BucketBy.NONE, List.of(),
                        ZoneOffset.UTC),
                // one owner; replayed state, prior state and times in stage, bucketed by creation
                new CellQuery(owners("m2"), RandomBook.PROCESS, mid, null, null, mid.minus(RandomBook.days(40)), any,
                        BucketBy.CREATED, quarterly, NEW_YORK),
                // more owners than a database may test per row: some own nothing, m2 and m4 are left out
                new CellQuery(manyOwners(), RandomBook.PROCESS, mid, null, null, null, any, BucketBy.NONE, List.of(),
                        ZoneOffset.UTC),
                new CellQuery(manyOwners(), RandomBook.PROCESS, end, null, null, mid, any, BucketBy.NONE, List.of(),
                        ZoneOffset.UTC),
                new CellQuery(all, RandomBook.PROCESS, early, Instant.parse("2025-07-01T00:00:00Z"), null,
                        early.minus(RandomBook.days(30)), any, BucketBy.CLOSE, monthly, ZoneOffset.UTC));
    }

    private FunnelCells reference(CellQuery q) {
        return reference(book, q);
    }

    private static FunnelCells reference(List<Opportunity> opportunities, CellQuery q) {
        return FunnelCells.aggregate(opportunities.stream().map(q::factsOf).flatMap(Optional::stream));
    }

    @Test
    void cellsFollowHistoriesChangedByUpdates() {
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
            for (CellQuery q : queries()) {
                assertThat(changedStore.cells(q)).as("cells of %s", q).isEqualTo(reference(now, q));
            }
            assertThat(reference(now, queries().get(1))).isNotEqualTo(reference(queries().get(1)));
        }
    }

    @Test
    void cellsGroupedInSqlEqualTheInMemoryAggregationForEveryQueryShape() {
        int nonEmpty = 0;
        for (CellQuery q : queries()) {
            FunnelCells expected = reference(q);
            assertThat(store.cells(q)).as("cells of %s", q).isEqualTo(expected);
            nonEmpty += expected.cells().isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("queries with cells (else the comparison proves nothing)")
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
    void cellsStayEqualAfterUpgradingDataWrittenBeforeTheFunnelColumnsExisted() throws Exception {
        Assumptions.assumeTrue(upgradesFromVersion1(), "no store of this database has version 1 data");
        // takes a store's rows back to schema version 1, then lets the store migrate them
        CrmStore old = freshStore().build();
        old.processes().save(RandomBook.PROCESS);
        old.opportunities().insertAll(book);
        DataSource ds = old.dataSource();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP INDEX crm_opportunity_last_transition");
            s.execute("DROP INDEX crm_opportunity_process_owner");
            for (String col : List.of("last_transition_s", "last_transition_n", "stage_seconds")) {
                s.execute("ALTER TABLE crm_opportunity DROP COLUMN " + col);
            }
            for (String col : List.of("next_s", "next_n", "stage_total_s")) {
                s.execute("ALTER TABLE crm_opp_transition DROP COLUMN " + col);
            }
            s.execute("DROP TABLE crm_write_lock");
            assertThat(s.executeUpdate("DELETE FROM \"crm_schema_history\" WHERE \"version\" IN ('2', '3', '4')"))
                    .isEqualTo(3);
        }
        try (CrmStore upgraded = CrmStore.builder().dataSource(ds).build()) {
            for (CellQuery q : queries()) {
                assertThat(upgraded.cells(q)).as("cells of %s", q).isEqualTo(reference(q));
            }
        } finally {
            old.close();
        }
    }

    @Test
    void factsForDrillDownEqualTheReferenceFacts() {
        for (CellQuery q : queries().subList(0, 5)) {
            List<OpportunityFacts> expected = book.stream().map(q::factsOf).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(OpportunityFacts::id)).toList();
            try (Stream<OpportunityFacts> facts = store.facts(q)) {
                assertThat(facts.sorted(Comparator.comparing(OpportunityFacts::id)).toList()).isEqualTo(expected);
            }
        }
    }

    @Test
    void funnelReportsFromTheStoreEqualTheInMemoryEngineReports() {
        OrgStructure org = OrgStructure.builder().manager("m1", "Ann").manager("m2", "Bob").manager("m3", "Cid")
                .manager("m4", "Dan").unit("sales", "Sales", UnitKind.DEPARTMENT).member("m1", "sales")
                .member("m2", "sales").member("m3", "sales").member("m4", "sales").build();
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
        FunnelEngine fromStore = FunnelEngine.builder().org(org).source(store).clock(clock).build();
        FunnelEngine inMemory = FunnelEngine.builder().org(org).source(OpportunityColumns.of(book.stream()))
                .clock(clock).build();
        Period q1 = Period.custom(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 4, 1));
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
        }
    }
}
