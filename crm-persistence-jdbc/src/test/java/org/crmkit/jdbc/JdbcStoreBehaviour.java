package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.FieldChange;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ProductLine;
import org.crmkit.core.UnitKind;
import org.crmkit.core.UnitId;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.Period;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageHistory;
import org.crmkit.core.StorageException;
import org.crmkit.core.TrackedField;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.UpsertMode;
import org.crmkit.core.spi.UpsertResult;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store promises beyond the storage contract (exact money, derived columns,
 * atomic bulk writes that fail late, retrying writers, hostile identifiers, SQLState
 * translation, streaming that releases its connection), run once per dialect.
 */
abstract class JdbcStoreBehaviour {
    private final List<CrmStore> opened = new ArrayList<>();

    /**
     * A data source on a fresh, empty database or schema.
     *
     * @return the data source
     */
    abstract DataSource freshDataSource();

    CrmStore store(CrmStore.Builder builder) {
        CrmStore store = builder.build();
        opened.add(store);
        return store;
    }

    CrmStore store() {
        return store(CrmStore.builder().dataSource(freshDataSource()));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(CrmStore::close);
    }

    /** Everything stored, the stream closed (it holds a connection until then). */
    static List<Opportunity> allOf(CrmStore store) {
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            return all.toList();
        }
    }

    static SalesProcess givenProcess(CrmStore store) {
        SalesProcess process = Fixtures.process();
        store.processes().save(process);
        return process;
    }

    @Test
    void moneyAndDecimalsAreStoredExactlyWithTheirScale() throws SQLException {
        CrmStore store = store();
        givenProcess(store);
        Opportunity written = Fixtures.fullyPopulated("money").amount(Amounts.of("100.50", "EUR"))
                .productLines(List.of(new ProductLine("P", new BigDecimal("2.50"), Amounts.of("19.90", "EUR"),
                        new BigDecimal("12.50"))))
                .build();

        Opportunity read = store.opportunities().get(store.opportunities().insert(written).id());

        // Moneta normalises 100.50 to 100.5 inside MonetaryAmount; the value and its minor
        // units are exact, and plain decimals keep the scale they were written with
        assertThat(Amounts.decimal(read.amount().orElseThrow())).isEqualByComparingTo("100.50");
        assertThat(Amounts.toMinorUnits(read.amount().orElseThrow())).isEqualTo(10050);
        assertThat(read.productLines().get(0).quantity()).isEqualTo(new BigDecimal("2.50"));
        assertThat(read.productLines().get(0).quantity().scale()).isEqualTo(2);
        assertThat(read.productLines().get(0).discountPercent()).isEqualTo(new BigDecimal("12.50"));
        assertThat(read.productLines()).isEqualTo(written.productLines());
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT amount, amount_minor, currency FROM crm_opportunity WHERE id = 'money'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBigDecimal("amount")).isEqualByComparingTo("100.50");
            assertThat(rs.getLong("amount_minor")).isEqualTo(10050);
            assertThat(rs.getString("currency")).isEqualTo("EUR");
        }
    }

    @Test
    void derivedColumnsAreComputedWithStageHistoryAtWriteTime() throws SQLException {
        CrmStore store = store();
        SalesProcess process = givenProcess(store);
        Opportunity won = store.opportunities().insert(Fixtures.fullyPopulatedWon("derived"));

        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status, stage_index, furthest_open_index,"
                        + " entered_mask, amount_minor, revenue_minor, close_date FROM crm_opportunity WHERE id = ?")) {
            ps.setString(1, "derived");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("status")).isEqualTo("WON");
                assertThat(rs.getInt("stage_index")).isEqualTo(process.indexOf(SalesProcess.WON));
                assertThat(rs.getInt("furthest_open_index")).isEqualTo(StageHistory.furthestOpenStage(won, process));
                assertThat(rs.getLong("entered_mask")).isEqualTo(StageHistory.enteredOpenStages(won, process));
                assertThat(rs.getLong("amount_minor")).isEqualTo(Amounts.toMinorUnits(won.amount().orElseThrow()));
                assertThat(rs.getLong("revenue_minor"))
                        .isEqualTo(Amounts.toMinorUnits(won.closeInfo().orElseThrow().actualRevenue()));
                assertThat(rs.getObject("close_date", java.time.LocalDate.class))
                        .isEqualTo(won.closeInfo().orElseThrow().closeDate());
            }
        }
    }

    @Test
    void bulkInsertFailingAfterSeveralBatchesLeavesNothingBehind() {
        CrmStore store = store(CrmStore.builder().dataSource(freshDataSource()).batchSize(7));
        givenProcess(store);
        store.opportunities().insert(Fixtures.minimal("b060"));
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(Fixtures.fullyPopulatedOpen(String.format("b%03d", i)));
        }

        // b060 is taken: the database refuses it only after earlier batches went through, and
        // the report still names it, at its position
        assertThatThrownBy(() -> store.opportunities().insertAll(batch)).isInstanceOfSatisfying(
                BatchValidationException.class, e -> {
                    assertThat(e.rejections()).hasSize(1);
                    assertThat(e.rejections().get(0).index()).isEqualTo(60);
                    assertThat(e.rejections().get(0).opportunityId()).isEqualTo(OpportunityId.of("b060"));
                    assertThat(e.rejections().get(0).failures().get(0).expected()).isEqualTo("an id not stored yet");
                });

        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(1);
        assertThat(store.opportunities().findById(OpportunityId.of("b000"))).isEmpty();
    }

    @Test
    void bulkInsertFailingInAChildTableLeavesNothingBehind() {
        FaultyDataSource faulty = new FaultyDataSource(freshDataSource());
        CrmStore store = store(CrmStore.builder().dataSource(faulty).batchSize(5));
        givenProcess(store);
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(Fixtures.fullyPopulatedOpen(String.format("c%03d", i)));
        }
        // the history table's rows fail, after the opportunities and four child tables took theirs
        faulty.failWriteStatement(1, "crm_opp_history");

        assertThatThrownBy(() -> store.opportunities().insertAll(batch)).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).sqlState()).hasValue("08006"))
                .hasMessageContaining("inserting 40 opportunities");

        faulty.heal();
        assertThat(store.opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void rowsWithoutAContentFingerprintCountAsChangedOnceAndThenAsUnchanged() throws SQLException {
        CrmStore store = store();
        givenProcess(store);
        Opportunity stored = store.opportunities().insert(Fixtures.fullyPopulatedWon("pre-v8"));
        // a row written before schema version 8 has no fingerprint
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE crm_opportunity SET content_hi = NULL, content_lo = NULL")).isEqualTo(1);
        }

        UpsertResult first = store.opportunities().upsertAll(List.of(stored), UpsertMode.CHECK_VERSIONS);
        Opportunity now = store.opportunities().get(stored.id());
        UpsertResult second = store.opportunities().upsertAll(List.of(now), UpsertMode.CHECK_VERSIONS);

        assertThat(first).isEqualTo(new UpsertResult(0, 1, 0, List.of()));
        assertThat(second).isEqualTo(new UpsertResult(0, 0, 1, List.of()));
        assertThat(now).isEqualTo(stored.toBuilder().version(2).build());
    }

    @Test
    void schemaVersion9StartsTheHistoryOfEveryStoredOpportunityAndItsTableIsAChildTable() throws SQLException {
        DataSource ds = freshDataSource();
        CrmStore before = store(CrmStore.builder().dataSource(ds));
        SalesProcess process = givenProcess(before);
        Opportunity old = before.opportunities().insert(Fixtures.fullyPopulatedWon("pre-v9"));
        Instant later = Instant.now().plus(java.time.Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Opportunity planned = before.opportunities().insert(Fixtures.minimal("planned", ManagerId.of("m2"))
                .createdAt(later).transitions(List.of()).expectedCloseDate(LocalDate.ofInstant(later, ZoneOffset.UTC)
                        .plusDays(90)).build());
        // back to the schema of version 8: no change table, versions 9 and 10 not applied
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            backToSchemaVersion9(st);
            st.execute("DROP TABLE crm_opp_change");
            assertThat(st.executeUpdate("DELETE FROM \"crm_schema_history\" WHERE \"version\" = '9'")).isEqualTo(1);
        }
        Instant migrating = Instant.now();

        CrmStore after = store(CrmStore.builder().dataSource(ds));

        Opportunity oldNow = after.opportunities().get(old.id());
        assertThat(oldNow.changes()).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo(TrackedField.HISTORY_START);
            assertThat(c.by()).isEqualTo(old.owner());
            assertThat(c.at()).isBetween(migrating, Instant.now());
        });
        assertThat(oldNow.toBuilder().changes(List.of()).build()).isEqualTo(old);
        assertThat(after.opportunities().get(planned.id()).changes())
                .containsExactly(FieldChange.historyStart(later, ManagerId.of("m2")));
        // a funnel as of before the upgrade holds the old deal with its values at the upgrade, and says so
        assertThat(after.historyStartsAfter(process, migrating.minusSeconds(60))).isEqualTo(Map.of(old.owner(), 1L));
        assertThat(after.historyStartsAfter(process, Instant.now())).isEmpty();
        // the history goes with its opportunity, and cannot exist without one
        after.opportunities().delete(old.id(), oldNow.version());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM crm_opp_change WHERE opp_id = 'pre-v9'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThatThrownBy(() -> st.execute("INSERT INTO crm_opp_change (opp_id, pos, field, at_s, at_n, by_id)"
                    + " VALUES ('ghost', 0, 'HISTORY_START', 0, 0, 'm1')")).isInstanceOf(SQLException.class);
        }
    }

    /** Takes a store's schema from version 10 back to 9: the last-change columns and their index gone. */
    static void backToSchemaVersion9(Statement st) throws SQLException {
        for (String name : List.of("last_change", "history_start")) {
            st.execute("DROP INDEX crm_opportunity_" + name);
            st.execute("ALTER TABLE crm_opportunity DROP COLUMN " + name + "_n");
            st.execute("ALTER TABLE crm_opportunity DROP COLUMN " + name + "_s");
        }
        assertThat(st.executeUpdate("DELETE FROM \"crm_schema_history\" WHERE \"version\" = '10'")).isEqualTo(1);
    }

    /** The last-change column pair of each opportunity, by id ("none" where it is NULL). */
    private static java.util.Map<String, String> lastChanges(DataSource ds) throws SQLException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, last_change_s, last_change_n FROM crm_opportunity")) {
            while (rs.next()) {
                String id = rs.getString(1);
                long s = rs.getLong(2);
                out.put(id, rs.wasNull() ? "none" : Instant.ofEpochSecond(s, rs.getInt(3)).toString());
            }
        }
        return out;
    }

    @Test
    void schemaVersion10KeepsTheLatestValueChangeOfEveryOpportunityAndAPastFunnelCountsTheOwnerOfThen()
            throws SQLException {
        DataSource ds = freshDataSource();
        CrmStore before = store(CrmStore.builder().dataSource(ds));
        SalesProcess process = givenProcess(before);
        ManagerId m1 = ManagerId.of("m1");
        ManagerId m2 = ManagerId.of("m2");
        Instant repriced = Fixtures.CREATED_AT.plus(java.time.Duration.ofDays(2)).plusNanos(125);
        Instant handedOver = Fixtures.CREATED_AT.plus(java.time.Duration.ofDays(5)).plusNanos(250);
        Opportunity changed = Fixtures.minimal("changed", m1).build().edit(repriced, m1).probability(55).apply()
                .edit(handedOver, m1).owner(m2).apply();
        Opportunity started = Fixtures.minimal("started", m1)
                .changes(List.of(FieldChange.historyStart(repriced, m1))).build();
        before.opportunities().insertAll(List.of(changed, started, Fixtures.minimal("plain", m1).build()));
        java.util.Map<String, String> expected = java.util.Map.of("changed", handedOver.toString(),
                "started", "none", "plain", "none");
        assertThat(lastChanges(ds)).as("written with the rows").isEqualTo(expected);
        // back to version 9: the migration fills the columns from the field history
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            backToSchemaVersion9(st);
        }

        CrmStore after = store(CrmStore.builder().dataSource(ds));

        assertThat(lastChanges(ds)).as("filled by the migration").isEqualTo(expected);
        Set<ManagerId> owners = Set.of(m1, m2);
        for (Instant asOf : List.of(repriced.minusNanos(1), repriced, handedOver.minusNanos(1), handedOver,
                handedOver.plusSeconds(1))) {
            org.crmkit.funnel.spi.AggregateQuery q = org.crmkit.funnel.spi.AggregateQuery
                    .builder(owners, process, asOf).build();
            List<Opportunity> stored = allOf(after);
            assertThat(after.aggregate(q)).as("as of %s", asOf)
                    .isEqualTo(org.crmkit.funnel.spi.FunnelReference.aggregate(q, stored.stream()));
            // the hand-over is in effect from its instant on (inclusive), never before
            long ownedByM2 = after.aggregate(q).find(m2, 0).map(f -> f.count()).orElse(0L);
            assertThat(ownedByM2).as("m2's deals as of %s", asOf).isEqualTo(asOf.isBefore(handedOver) ? 0 : 1);
            assertThat(after.aggregate(q).part(m1, 0).count()).isEqualTo(asOf.isBefore(handedOver) ? 3 : 2);
        }
    }

    @Test
    void upsertFailingInAChildTableLeavesNothingBehind() {
        FaultyDataSource faulty = new FaultyDataSource(freshDataSource());
        CrmStore store = store(CrmStore.builder().dataSource(faulty).batchSize(5));
        givenProcess(store);
        List<Opportunity> first = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(Fixtures.fullyPopulatedOpen(String.format("u%03d", i)));
        }
        store.opportunities().insertAll(first);
        List<Opportunity> before = allOf(store);
        List<Opportunity> sync = new ArrayList<>();
        for (Opportunity o : before) {
            sync.add(o.toBuilder().title("synced").build());
        }
        sync.add(Fixtures.fullyPopulatedLost("u-new"));
        // the replaced rows are deleted and their new history rows fail
        faulty.failWriteStatement(1, "crm_opp_history");

        assertThatThrownBy(() -> store.opportunities().upsertAll(sync, UpsertMode.CHECK_VERSIONS))
                .isInstanceOf(StorageException.class).hasMessageContaining("upserting 41 opportunities");

        faulty.heal();
        assertThat(allOf(store)).isEqualTo(before);
    }

    @Test
    void concurrentUpsertsOfOverlappingBatchesNeitherDeadlockNorLoseAWrite() throws Exception {
        CrmStore store = store();
        givenProcess(store);
        int n = 60;
        List<Opportunity> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            first.add(Fixtures.minimal(String.format("cc%03d", i)));
        }
        store.opportunities().insertAll(first.subList(0, n / 2));
        int writers = 3;
        int rounds = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Long>> written = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                written.add(pool.submit(() -> {
                    start.await();
                    long mine = 0;
                    for (int round = 0; round < rounds; round++) {
                        // every writer's batch covers all ids, half of them new at first, in its own order
                        List<Opportunity> batch = new ArrayList<>();
                        for (Opportunity o : first) {
                            batch.add(o.toBuilder().title("w" + writer + " r" + round).build());
                        }
                        Collections.shuffle(batch, new java.util.Random(writer * 100L + round));
                        UpsertResult r = store.opportunities().upsertAll(batch, UpsertMode.SOURCE_WINS);
                        assertThat(r.conflicts()).isEmpty();
                        mine += r.written();
                    }
                    return mine;
                }));
            }
            long total = 0;
            for (Future<Long> f : written) {
                total += f.get(180, TimeUnit.SECONDS);
            }
            // every write of every batch bumped exactly one version (on top of the first half's
            // version 1): none was lost or doubled
            long versions = allOf(store).stream().mapToLong(Opportunity::version).sum();
            assertThat(versions).isEqualTo(n / 2 + total);
            assertThat(total).isEqualTo((long) writers * rounds * n);
            assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void retryingConcurrentWritersLoseNoUpdate() throws Exception {
        CrmStore store = store();
        givenProcess(store);
        OpportunityId id = store.opportunities().insert(Fixtures.minimal("counter")).id();
        int writers = 3;
        int updatesEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> conflicts = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                String name = "w" + w;
                conflicts.add(pool.submit(() -> {
                    int lost = 0;
                    for (int n = 0; n < updatesEach; n++) {
                        while (true) {
                            Opportunity current = store.opportunities().get(id);
                            Opportunity changed = current.toBuilder().addHistory(new HistoryEntry(name + "-" + n,
                                    HistoryKind.COMMENT, Fixtures.CREATED_AT, Fixtures.OWNER, "update", "")).build();
                            try {
                                store.opportunities().update(changed);
                                break;
                            } catch (ConcurrentUpdateException e) {
                                lost++;
                            }
                        }
                    }
                    return lost;
                }));
            }
            for (Future<Integer> f : conflicts) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Opportunity last = store.opportunities().get(id);
        assertThat(last.history()).hasSize(writers * updatesEach);
        assertThat(last.history().stream().map(HistoryEntry::id).distinct()).hasSize(writers * updatesEach);
        assertThat(last.version()).isEqualTo(1 + writers * updatesEach);
    }

    @Test
    void concurrentSavesOfTheOrgAProcessAndPlansTakeTurnsOrReportAConflictARetryResolves() throws Exception {
        CrmStore store = store();
        int writers = 4;
        int savesEach = 15;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> results = new ArrayList<>();
        Set<OrgStructure> saved = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    start.await();
                    int conflicts = 0;
                    for (int n = 0; n < savesEach; n++) {
                        OrgStructure org = OrgStructure.builder().manager(ManagerId.of("m-" + writer), "Writer " + writer)
                                .unit(UnitId.of("u-" + n), "Unit " + n, UnitKind.GROUP).member(ManagerId.of("m-" + writer), UnitId.of("u-" + n)).build();
                        SalesProcess p = Fixtures.process();
                        SalesProcess renamed = new SalesProcess(p.id(), "Renamed by " + writer + "/" + n, p.mode(),
                                p.stages());
                        Period q = Period.inclusive(java.time.LocalDate.of(2026, 1 + 3 * (n % 4), 1), java.time.LocalDate.of(2026, 1 + 3 * (n % 4), 1).plusMonths(3).minusDays(1));
                        List<SalesPlan> plans = List.of(
                                new SalesPlan(UnitId.of("u-0"), q, Amounts.of(writer + "00.00", "EUR")),
                                new SalesPlan(ManagerId.of("m-" + writer), q, Amounts.of(n + ".00", "EUR")));
                        saved.add(org);
                        List<Runnable> saves = List.of(() -> store.orgStructure().save(org),
                                () -> store.processes().save(renamed),
                                () -> store.plans().saveAll(writer % 2 == 0 ? plans
                                        : List.of(plans.get(1), plans.get(0))));
                        for (Runnable save : saves) {
                            while (true) {
                                try {
                                    save.run();
                                    break;
                                } catch (ConcurrentUpdateException e) {
                                    conflicts++; // allowed: a turn not taken within the lock wait; retried
                                }
                            }
                        }
                    }
                    return conflicts;
                }));
            }
            for (Future<Integer> f : results) {
                f.get(120, TimeUnit.SECONDS); // a raw StorageException (deadlock, unique violation) fails here
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(saved).contains(store.orgStructure().load());
        SalesProcess stored = store.processes().get(Fixtures.process().id());
        assertThat(stored.stages()).isEqualTo(Fixtures.process().stages());
        assertThat(stored.name()).startsWith("Renamed by ");
        assertThat(store.plans().findAll()).hasSize(4 + writers * 4);
    }

    @Test
    void errorMessagesCarryTheOperationAndSqlStateButNeitherSqlTextNorBoundValues() throws SQLException {
        DataSource ds = freshDataSource();
        SQLException failure;
        try (Connection c = ds.getConnection()) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE TABLE leak_probe (id VARCHAR(20) PRIMARY KEY, secret VARCHAR(40))");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leak_probe (id, secret) VALUES (?, ?)")) {
                ps.setString(1, "dup");
                ps.setString(2, "first-secret-value");
                ps.addBatch();
                ps.setString(1, "dup");
                ps.setString(2, "second-secret-value");
                ps.addBatch();
                failure = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, ps::executeBatch);
            }
            c.rollback();
        }
        assertThat((Throwable) failure).as("the driver's own message quotes what the store must not").isNotNull();

        StorageException translated = (StorageException) org.crmkit.jdbc.internal.Db.translate(
                "inserting opportunity dup", failure);

        assertThat(translated.getMessage()).startsWith("inserting opportunity dup failed: ")
                .doesNotContain("secret-value").doesNotContainIgnoringCase("insert into")
                .doesNotContainIgnoringCase("leak_probe (id");
        assertThat(translated.sqlState()).hasValue("23505");
    }

    @Test
    void hostileIdentifiersAreBoundAsParametersAndFilterExactly() {
        CrmStore store = store();
        givenProcess(store);
        String id = "o'; DROP TABLE crm_opportunity; --";
        ManagerId owner = ManagerId.of("m' OR '1'='1");
        store.opportunities().insert(Fixtures.minimal(id, owner).title("x\"; DELETE FROM crm_process; --").build());
        store.opportunities().insert(Fixtures.minimal("plain", ManagerId.of("m")).build());

        try (Stream<Opportunity> s = store.opportunities().stream(OpportunityQuery.ownedBy(Set.of(owner)))) {
            assertThat(s.map(o -> o.id().value())).containsExactly(id);
        }
        assertThat(store.opportunities().get(OpportunityId.of(id)).title()).isEqualTo("x\"; DELETE FROM crm_process; --");
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(2);
        assertThat(store.processes().findAll()).hasSize(1);
    }

    @Test
    void databaseErrorsSurfaceAsStorageExceptionWithTheSqlState() {
        CrmStore store = store(CrmStore.builder().dataSource(freshDataSource()).migrate(false));

        assertThatThrownBy(() -> store.opportunities().findById(OpportunityId.of("x")))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).sqlStateClass()).hasValue("42"));
    }

    @Test
    void streamReadsInIdOrderAcrossFetchesAndReleasesItsConnectionWhenClosed() {
        CountingDataSource counting = new CountingDataSource(freshDataSource());
        CrmStore store = store(CrmStore.builder().dataSource(counting).fetchSize(50));
        givenProcess(store);
        List<Opportunity> many = new ArrayList<>();
        for (int i = 999; i >= 0; i--) {
            many.add(i % 10 == 0 ? Fixtures.fullyPopulatedWon("s" + i) : Fixtures.minimal("s" + i));
        }
        store.opportunities().insertAll(many);

        List<String> ids;
        try (Stream<Opportunity> s = store.opportunities().stream(OpportunityQuery.all())) {
            ids = s.map(o -> o.id().value()).collect(Collectors.toList());
        }
        try (Stream<Opportunity> s = store.opportunities().stream(OpportunityQuery.all())) {
            List<String> first = s.limit(3).map(o -> o.id().value()).collect(Collectors.toList());
            assertThat(first).containsExactly("s0", "s1", "s10");
            assertThat(counting.open()).as("connections while the stream is open").isEqualTo(1);
        }

        assertThat(ids).hasSize(1000).isSorted();
        assertThat(counting.open()).isZero();
        assertThat(store.opportunities().get(OpportunityId.of("s990"))).isEqualTo(
                Fixtures.fullyPopulatedWon("s990").toBuilder().version(1).build());
    }

    @Test
    void dialectIsDetectedFromTheConnection() {
        assertThat(store().dialect()).isEqualTo(expectedDialect());
    }

    abstract Dialect expectedDialect();

    @Test
    void migratingAnAlreadyMigratedSchemaKeepsTheData() {
        DataSource ds = freshDataSource();
        CrmStore first = store(CrmStore.builder().dataSource(ds));
        givenProcess(first);
        first.opportunities().insert(Fixtures.minimal("kept"));

        CrmStore second = store(CrmStore.builder().dataSource(ds));

        assertThat(second.opportunities().findById(OpportunityId.of("kept"))).isPresent();
    }
}
