package org.crmkit.jdbc;

import org.crmkit.core.spi.CrmStorage;
import org.crmkit.testkit.CrmStorageContract;

/** The store contract on embedded PostgreSQL, a fresh schema per test, dialect detected. */
class PostgresStorageContractTest extends CrmStorageContract {
    @Override
    protected CrmStorage createStorage() {
        return CrmStore.builder().dataSource(EmbeddedPg.freshSchema()).build();
    }
}
