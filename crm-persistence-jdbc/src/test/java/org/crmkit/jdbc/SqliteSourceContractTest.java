package org.crmkit.jdbc;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.jdbc.internal.Sqlite;
import org.crmkit.testkit.FunnelSourceContract;

/** The source contract on the SQLite store (the embedded default): the funnel grouped in SQLite's SQL. */
class SqliteSourceContractTest extends FunnelSourceContract {
    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        CrmStore store = CrmStore.builder().dataSource(Sqlite.readers(SqliteFiles.fresh())).build();
        store.processes().save(process);
        store.opportunities().insertAll(opportunities);
        return store;
    }
}
