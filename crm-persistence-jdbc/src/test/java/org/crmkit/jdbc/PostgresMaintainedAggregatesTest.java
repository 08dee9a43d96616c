package org.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresMaintainedAggregatesTest extends MaintainedAggregatesBehaviour {
    @Override
    DataSource freshDataSource() {
        return EmbeddedPg.freshSchema();
    }
}
