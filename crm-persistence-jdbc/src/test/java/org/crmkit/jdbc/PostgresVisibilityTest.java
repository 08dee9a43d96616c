package org.crmkit.jdbc;

import javax.sql.DataSource;
import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;

/** Viewers of tenants of one PostgreSQL database, answered by the store's pushed-down aggregates. */
class PostgresVisibilityTest extends VisibilityBehaviour {
    private final DataSource database = EmbeddedPg.freshDatabase();

    @Override
    CrmStorage open(TenantId tenant) {
        return CrmStore.builder().dataSource(database).tenant(tenant).build();
    }

    @Override
    int examples() {
        return 25;
    }
}
