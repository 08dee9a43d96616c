package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends JdbcStoreBehaviour {
    @Override
    DataSource freshDataSource() {
        return EmbeddedPg.freshSchema();
    }

    @Override
    String textTheDatabaseRejects() {
        // PostgreSQL text cannot hold NUL; Java strings can
        return "before\u0000after";
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

        assertThat(counting.prepared()).noneMatch(sql -> sql.startsWith("INSERT"));
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
}
