package org.crmkit.core.memory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.crmkit.core.TenantId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.TenantAdministration;

/**
 * Many tenants' in-memory stores in one JVM, each a separate {@link InMemoryStorage}: a handle
 * obtained for one tenant holds no reference to another tenant's data, so no query of it can
 * reach one. Listing and dropping tenants is the separate {@link #administration()}.
 */
public final class InMemoryTenants {
    private final Map<TenantId, InMemoryStorage> stores = new ConcurrentHashMap<>();
    private final TenantAdministration administration = new Administration();

    /** Creates a holder with no tenant. */
    public InMemoryTenants() {
    }

    /**
     * The store of one tenant, created empty the first time it is asked for.
     *
     * @param tenant the tenant
     * @return the tenant's store (the same instance on every call until the tenant is dropped)
     */
    public InMemoryStorage storage(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return stores.computeIfAbsent(tenant, InMemoryStorage::new);
    }

    /**
     * The administrative view across tenants.
     *
     * @return the administration
     */
    public TenantAdministration administration() {
        return administration;
    }

    private final class Administration implements TenantAdministration {
        @Override
        public List<TenantId> tenants() {
            return stores.keySet().stream().sorted().toList();
        }

        @Override
        public boolean drop(TenantId tenant) {
            Objects.requireNonNull(tenant, "tenant");
            ValidationException.require(!tenant.isDefault(), "tenant", tenant, "a tenant other than the default one");
            InMemoryStorage gone = stores.remove(tenant);
            if (gone == null) {
                return false;
            }
            gone.drop();
            return true;
        }
    }
}
