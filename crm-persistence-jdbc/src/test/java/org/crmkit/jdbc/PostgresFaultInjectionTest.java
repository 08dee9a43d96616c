package org.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresFaultInjectionTest extends FaultInjectionBehaviour {
    @Override
    DataSource freshDataSource() {
        return EmbeddedPg.freshSchema();
    }
}
