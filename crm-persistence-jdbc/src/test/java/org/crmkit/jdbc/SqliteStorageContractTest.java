package org.crmkit.jdbc;

import org.crmkit.core.spi.CrmStorage;
import org.crmkit.testkit.CrmStorageContract;

/** The store contract on the embedded default: a fresh SQLite file per test. */
class SqliteStorageContractTest extends CrmStorageContract {
    @Override
    protected CrmStorage createStorage() {
        return CrmStore.embedded(SqliteFiles.fresh());
    }
}
