package org.crmkit.jdbc;

import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.testkit.CrmStorageContract;

/** The store contract on a named tenant of the embedded default (its own file beside the default's). */
class SqliteTenantStorageContractTest extends CrmStorageContract {
    @Override
    protected CrmStorage createStorage() {
        return CrmStore.builder().embedded(SqliteFiles.fresh()).tenant(TenantId.of("acme")).build();
    }
}
