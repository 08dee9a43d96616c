package org.crmkit.testkit.inmemory;

import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.testkit.CrmStorageContract;

// In a package of its own on purpose: proves that a store in another package inherits
// every (package-private) contract test, as a JDBC or third-party store will.
class InMemoryStorageContractTest extends CrmStorageContract {
    @Override
    protected CrmStorage createStorage() {
        return new InMemoryStorage();
    }
}
