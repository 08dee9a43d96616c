package org.crmkit.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.TenantAdministration;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.junit.jupiter.api.AfterEach;

/** Tenants as schemas of one H2 database, kept open by one connection for the test. */
class H2TenantTest extends TenantBehaviour {
    private final DataSource database = new DriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:tenants-" + UUID.randomUUID());
    private final Connection keepAlive;

    H2TenantTest() throws SQLException {
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

    @Override
    TenantAdministration administration() {
        return CrmStore.tenantAdministration(database);
    }
}
