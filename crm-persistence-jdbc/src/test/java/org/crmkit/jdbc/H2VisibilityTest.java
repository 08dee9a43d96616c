package org.crmkit.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.junit.jupiter.api.AfterEach;

/** Viewers of tenants of one H2 database, answered by the store's pushed-down aggregates. */
class H2VisibilityTest extends VisibilityBehaviour {
    private final DataSource database = new DriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:visibility-" + UUID.randomUUID());
    private final Connection keepAlive;

    H2VisibilityTest() throws SQLException {
        keepAlive = database.getConnection();
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        keepAlive.close();
    }

    @Override
    CrmStorage open(TenantId tenant) {
        return CrmStore.builder().dataSource(database).tenant(tenant).build();
    }
}
