package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
}
