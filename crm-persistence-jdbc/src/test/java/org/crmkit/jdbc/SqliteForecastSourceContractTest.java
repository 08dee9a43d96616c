package org.crmkit.jdbc;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.jdbc.internal.Sqlite;
import org.crmkit.testkit.ForecastSourceContract;

/** The forecast source contract on the Sqlite store: open and won deals grouped in its SQL. */
class SqliteForecastSourceContractTest extends ForecastSourceContract {
    @Override
    protected ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities) {
        CrmStore store = CrmStore.builder().dataSource(Sqlite.readers(SqliteFiles.fresh())).build();
        store.processes().save(process);
        store.opportunities().insertAll(opportunities);
        return store;
    }
}
