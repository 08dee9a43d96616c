package org.crmkit.jdbc;

import javax.sql.DataSource;
import org.crmkit.jdbc.internal.Sqlite;

class SqliteMaintainedAggregatesTest extends MaintainedAggregatesBehaviour {
    @Override
    DataSource freshDataSource() {
        return Sqlite.readers(SqliteFiles.fresh());
    }
}
