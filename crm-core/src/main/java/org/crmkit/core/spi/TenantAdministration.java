package org.crmkit.core.spi;

import java.util.List;
import org.crmkit.core.TenantId;

/**
 * The one place that sees more than one tenant of a database: which tenants it holds and
 * removing one. Every other call of a store runs as the single tenant its handle was obtained
 * for, so crossing tenants always means naming this interface. Hand it only to the parts of an
 * application that provision and retire customers.
 */
public interface TenantAdministration {
    /**
     * The tenants that hold a store in this database, in id order. {@link TenantId#DEFAULT} is
     * among them when the database holds a store opened without a tenant.
     *
     * @return the tenants
     * @throws org.crmkit.core.StorageException when the database cannot be read
     */
    List<TenantId> tenants();

    /**
     * Removes a tenant and everything it holds (opportunities, processes, org structure,
     * plans, aggregates), in one step where the database allows it. Handles open on the tenant
     * fail afterwards; opening it again starts an empty store.
     *
     * @param tenant the tenant; not {@link TenantId#DEFAULT}, whose tables may be shared with
     *     the host application's own
     * @return true when the tenant existed
     * @throws org.crmkit.core.ValidationException when {@code tenant} is the default tenant
     * @throws org.crmkit.core.StorageException when the database fails; nothing is removed
     */
    boolean drop(TenantId tenant);
}
