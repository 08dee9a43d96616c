package org.crmkit.jdbc;

import org.crmkit.core.TenantId;
import org.crmkit.core.memory.InMemoryTenants;
import org.crmkit.core.spi.CrmStorage;

/** Viewers of the in-memory store's tenants, answered from its repository. */
class InMemoryVisibilityTest extends VisibilityBehaviour {
    private final InMemoryTenants tenants = new InMemoryTenants();

    @Override
    CrmStorage open(TenantId tenant) {
        return tenants.storage(tenant);
    }
}
