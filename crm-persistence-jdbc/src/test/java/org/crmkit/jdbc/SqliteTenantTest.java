package org.crmkit.jdbc;

import java.nio.file.Path;
import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.TenantAdministration;

/** Tenants of an embedded SQLite store: the default in its file, the others in files of their own. */
class SqliteTenantTest extends TenantBehaviour {
    private final Path file = SqliteFiles.fresh();

    @Override
    CrmStorage open(TenantId tenant) {
        return CrmStore.builder().embedded(file).tenant(tenant).build();
    }

    @Override
    TenantAdministration administration() {
        return CrmStore.tenantAdministration(file);
    }

    @Override
    int examples() {
        return 5;
    }
}
