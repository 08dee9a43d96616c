package org.crmkit.jdbc;

import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.crmkit.testkit.CrmStorageContract;

/**
 * The store contract on a named tenant of embedded PostgreSQL: a new tenant per test in one
 * database that holds the others, so every call runs through the tenant's role.
 */
class PostgresTenantStorageContractTest extends CrmStorageContract {
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final String URL = EmbeddedPg.freshDatabaseUrl();

    @Override
    protected CrmStorage createStorage() {
        return CrmStore.builder().dataSource(new DriverDataSource(new org.postgresql.Driver(), URL))
                .tenant(TenantId.of("contract" + TENANTS.incrementAndGet())).build();
    }
}
