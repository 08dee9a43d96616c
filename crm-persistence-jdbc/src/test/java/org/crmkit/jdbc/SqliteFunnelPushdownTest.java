package org.crmkit.jdbc;

import org.crmkit.jdbc.internal.Sqlite;

class SqliteFunnelPushdownTest extends FunnelPushdownBehaviour {
    @Override
    CrmStore.Builder freshStore() {
        return CrmStore.builder().dataSource(Sqlite.readers(SqliteFiles.fresh()));
    }

    @Override
    boolean upgradesFromVersion1() {
        return false;
    }
}
