package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import java.time.Clock;
import java.time.ZoneOffset;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.StorageException;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends JdbcStoreBehaviour {
    @Override
    DataSource freshDataSource() {
        return EmbeddedPg.freshSchema();
    }


    @Override
    Dialect expectedDialect() {
        return Dialect.POSTGRESQL;
    }

    @Test
    void bulkInsertStreamsRowsWithCopyInsteadOfInserts() {
        CountingDataSource counting = new CountingDataSource(freshDataSource());
        CrmStore store = store(CrmStore.builder().dataSource(counting));
        givenProcess(store);
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(Fixtures.fullyPopulatedLost("p" + i));
        }
        counting.prepared().clear();

        assertThat(store.opportunities().insertAll(batch)).isEqualTo(300);

        // the rows stream through COPY; the maintained aggregates get one delta per owner and month
        assertThat(counting.prepared()).noneMatch(sql -> sql.startsWith("INSERT")
                && !sql.startsWith("INSERT INTO crm_agg_delta "));
        assertThat(store.opportunities().get(OpportunityId.of("p123")))
                .isEqualTo(Fixtures.fullyPopulatedLost("p123").toBuilder().version(1).build());
    }

    @Test
    void largeBulkLoadRefreshesPlannerStatistics() throws Exception {
        DataSource ds = freshDataSource();
        CrmStore store = store(CrmStore.builder().dataSource(ds));
        givenProcess(store);
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(Fixtures.minimal("bulk-" + i));
        }

        store.opportunities().insertAll(batch);

        // ANALYZE writes pg_class.reltuples synchronously (COPY alone leaves it at -1, "never
        // analysed"), so a planner working from it sees the loaded rows.
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = "
                        + "to_regclass(current_schema() || '.crm_opportunity')");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(10_000.0);
        }
    }

    /** Every index and constraint definition of the store's opportunity tables, sorted. */
    private static List<String> schemaOf(DataSource ds) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes"
                        + " WHERE schemaname = current_schema() AND tablename LIKE 'crm_opp%'"
                        + " UNION ALL SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid)"
                        + " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
                        + " AND conrelid::regclass::text LIKE 'crm_opp%'"
                        + " UNION ALL SELECT 'trigger ' || tgname || ': ' || pg_get_triggerdef(oid) FROM pg_trigger"
                        + " WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'crm_opp%' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Opportunity> largeBatch(String prefix) {
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String id = String.format("%s%05d", prefix, i);
            batch.add(i % 100 == 0 ? Fixtures.fullyPopulatedWon(id) : Fixtures.minimal(id));
        }
        return batch;
    }

    @Test
    void largeLoadIntoAnEmptyStoreKeepsEveryIndexAndForeignKey() throws Exception {
        DataSource ds = freshDataSource();
        CrmStore store = store(CrmStore.builder().dataSource(ds));
        givenProcess(store);
        List<String> before = schemaOf(ds);

        store.opportunities().insertAll(largeBatch("big"));

        // the children's references are checked per statement (migration V6), not by foreign keys
        assertThat(schemaOf(ds)).isEqualTo(before).anyMatch(d -> d.startsWith("trigger crm_opp_step_parent_ins"))
                .anyMatch(d -> d.startsWith("index crm_opportunity_owner"));
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(10_000);
        assertThat(store.opportunities().get(OpportunityId.of("big09900")))
                .isEqualTo(Fixtures.fullyPopulatedWon("big09900").toBuilder().version(1).build());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("INSERT INTO crm_opp_step (opp_id, pos, step_code)"
                    + " VALUES ('no-such-opportunity', 0, 'x')"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("23503");
        }
        store.opportunities().delete(OpportunityId.of("big00100"), 1);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM crm_opp_transition WHERE opp_id = 'big00100'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("children deleted with their opportunity").isZero();
        }
    }

    @Test
    void largeLoadFailingLateLeavesRowsIndexesAndForeignKeysAsTheyWere() throws Exception {
        DataSource ds = freshDataSource();
        FaultyDataSource faulty = new FaultyDataSource(ds);
        CrmStore store = store(CrmStore.builder().dataSource(faulty));
        givenProcess(store);
        List<String> before = schemaOf(ds);
        List<Opportunity> batch = largeBatch("late");
        // the copy into the last child table fails, after every other table was copied
        faulty.failWriteStatement(1, "COPY crm_opp_step");

        assertThatThrownBy(() -> store.opportunities().insertAll(batch)).isInstanceOf(StorageException.class);

        faulty.heal();
        assertThat(store.opportunities().count(OpportunityQuery.all())).isZero();
        assertThat(schemaOf(ds)).isEqualTo(before);
    }

    @Test
    void largeLoadFailingLateWithAFailingRollbackLeavesRowsIndexesAndForeignKeysAsTheyWere() throws Exception {
        DataSource ds = freshDataSource();
        FaultyDataSource faulty = new FaultyDataSource(ds);
        CrmStore store = store(CrmStore.builder().dataSource(faulty));
        givenProcess(store);
        List<String> before = schemaOf(ds);
        // the lifted bulk path: indexes and foreign keys dropped inside the transaction; the
        // last copy fails and so does the rollback, so only discarding the connection is left
        faulty.failWriteStatement(1, "COPY crm_opp_step").failRollback(true);

        assertThatThrownBy(() -> store.opportunities().insertAll(largeBatch("lost"))).isInstanceOf(StorageException.class);

        faulty.heal();
        assertThat(store.opportunities().count(OpportunityQuery.all())).isZero();
        assertThat(schemaOf(ds)).isEqualTo(before);
    }

    @Test
    void largeLoadIntoANonEmptyStoreFailingLateLeavesTheStoreAsItWas() throws Exception {
        DataSource ds = freshDataSource();
        FaultyDataSource faulty = new FaultyDataSource(ds);
        CrmStore store = store(CrmStore.builder().dataSource(faulty));
        givenProcess(store);
        List<Opportunity> first = largeBatch("kept");
        first.add(Fixtures.fullyPopulatedWon("kept-extra"));
        store.opportunities().insertAll(first);
        List<String> before = schemaOf(ds);
        long oid = ownerIndexOid(ds);
        // the store holds more than the load, so nothing is lifted: COPY into the live tables
        faulty.failWriteStatement(1, "COPY crm_opp_step");

        assertThatThrownBy(() -> store.opportunities().insertAll(largeBatch("late"))).isInstanceOf(StorageException.class);

        faulty.heal();
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(10_001);
        assertThat(store.opportunities().findById(OpportunityId.of("late00000"))).isEmpty();
        assertThat(store.opportunities().get(OpportunityId.of("kept-extra")))
                .isEqualTo(Fixtures.fullyPopulatedWon("kept-extra").toBuilder().version(1).build());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM crm_opp_transition WHERE opp_id LIKE 'late%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no child row of the failed load").isZero();
        }
        assertThat(schemaOf(ds)).isEqualTo(before);
        assertThat(ownerIndexOid(ds)).isEqualTo(oid);
    }

    @Test
    void childRowOfAMissingOpportunityIsRefusedInABatchToo() throws Exception {
        DataSource ds = freshDataSource();
        CrmStore store = store(CrmStore.builder().dataSource(ds));
        givenProcess(store);
        store.opportunities().insert(Fixtures.minimal("parent"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // one statement with a valid and an orphan row: the per-statement check refuses it whole
            assertThatThrownBy(() -> st.execute("INSERT INTO crm_opp_step (opp_id, pos, step_code)"
                    + " VALUES ('parent', 90, 'x'), ('no-such-opportunity', 0, 'x')"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("23503");
            assertThatThrownBy(() -> st.execute("UPDATE crm_opportunity SET id = 'renamed' WHERE id = 'parent'"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("23503");
        }
        assertThat(store.opportunities().get(OpportunityId.of("parent")))
                .isEqualTo(Fixtures.minimal("parent").toBuilder().version(1).build());
    }

    @Test
    void largeLoadWithAnIdAlreadyStoredIsRefusedWhole() throws Exception {
        DataSource ds = freshDataSource();
        CrmStore store = store(CrmStore.builder().dataSource(ds));
        givenProcess(store);
        store.opportunities().insert(Fixtures.minimal("dup09999"));
        List<String> before = schemaOf(ds);

        assertThatThrownBy(() -> store.opportunities().insertAll(largeBatch("dup")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("id");

        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(1);
        assertThat(schemaOf(ds)).isEqualTo(before);
    }

    @Test
    void largeLoadWhileAReaderHoldsTheTablesStillCompletes() throws Exception {
        DataSource ds = freshDataSource();
        CrmStore store = store(CrmStore.builder().dataSource(ds));
        givenProcess(store);
        try (Connection reader = ds.getConnection()) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT COUNT(*) FROM crm_opportunity")) {
                rs.next();
            }

            // the reader's open transaction keeps a share lock until it ends
            assertThat(store.opportunities().insertAll(largeBatch("busy"))).isEqualTo(10_000);

            reader.commit();
        }
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(10_000);
    }

    private static long ownerIndexOid(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('crm_opportunity_owner')::oid")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void onlyALoadAtLeastAsLargeAsTheStoredRowsRebuildsTheIndexes() throws Exception {
        DataSource ds = freshDataSource();
        CrmStore store = store(CrmStore.builder().dataSource(ds));
        givenProcess(store);
        long initial = ownerIndexOid(ds);
        List<Opportunity> first = largeBatch("a");
        first.add(Fixtures.minimal("a-extra"));

        store.opportunities().insertAll(first);
        long afterFirst = ownerIndexOid(ds);
        store.opportunities().insertAll(largeBatch("b"));

        assertThat(afterFirst).as("rebuilt for a load into an empty store").isNotEqualTo(initial);
        assertThat(ownerIndexOid(ds)).as("kept for a load smaller than the store").isEqualTo(afterFirst);
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(20_001);
    }

    @Test
    void pushedDownFunnelReadsStreamThroughACursorWithBoundedMemory() {
        FaultyDataSource recording = new FaultyDataSource(freshDataSource());
        CrmStore store = store(CrmStore.builder().dataSource(recording));
        givenProcess(store);
        store.opportunities().insertAll(largeBatch("cur").subList(0, 200));
        OrgStructure anna = OrgStructure.builder().manager(ManagerId.of(Fixtures.OWNER.value()), "Anna").build();
        FunnelEngine engine = FunnelEngine.builder().org(anna).source(store)
                .clock(Clock.fixed(Fixtures.CREATED_AT.plusSeconds(86_400 * 90), ZoneOffset.UTC)).build();
        recording.unboundedQueries().clear();

        FunnelResult result = engine.funnel(FunnelQuery.builder(Fixtures.process())
                .nodes(Fixtures.OWNER).mode(FunnelMode.SNAPSHOT).reportingCurrency("EUR").build());

        assertThat(result.count()).isEqualTo(200);
        assertThat(recording.unboundedQueries()).isEmpty();
    }
}
