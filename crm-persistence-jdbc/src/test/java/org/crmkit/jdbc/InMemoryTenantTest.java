package org.crmkit.jdbc;

import org.crmkit.core.TenantId;
import org.crmkit.core.memory.InMemoryTenants;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.TenantAdministration;

/** Tenants of the in-memory store ({@link InMemoryTenants}). */
class InMemoryTenantTest extends TenantBehaviour {
    private final InMemoryTenants tenants = new InMemoryTenants();

    @Override
    CrmStorage open(TenantId tenant) {
        return tenants.storage(tenant);
    }

    @Override
    TenantAdministration administration() {
        return tenants.administration();
    }

    @Override
    int examples() {
        return 40;
    }
}
