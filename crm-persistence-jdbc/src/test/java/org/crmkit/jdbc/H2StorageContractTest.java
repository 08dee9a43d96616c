package org.crmkit.jdbc;

import org.crmkit.core.spi.CrmStorage;
import org.crmkit.testkit.CrmStorageContract;

/** The store contract on a fresh H2 in-memory database per test. */
class H2StorageContractTest extends CrmStorageContract {
    @Override
    protected CrmStorage createStorage() {
        return CrmStore.inMemory();
    }
}
