package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class H2StoreTest extends JdbcStoreBehaviour {
    @Override
    DataSource freshDataSource() {
        // DB_CLOSE_DELAY=-1: the database outlives its connections, as a pooled one would
        return new DriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:t-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    Dialect expectedDialect() {
        return Dialect.H2;
    }

    @Test
    void inMemoryStoresAreIndependentAndGoneWhenClosed() {
        try (CrmStore a = CrmStore.inMemory(); CrmStore b = CrmStore.inMemory()) {
            givenProcess(a);
            a.opportunities().insert(Fixtures.minimal("only-in-a"));

            assertThat(b.opportunities().count(OpportunityQuery.all())).isZero();
            assertThat(a.opportunities().count(OpportunityQuery.all())).isEqualTo(1);
        }
    }
}
