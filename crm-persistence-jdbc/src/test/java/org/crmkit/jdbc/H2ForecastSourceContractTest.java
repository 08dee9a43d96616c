package org.crmkit.jdbc;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.ForecastSource;

import org.crmkit.testkit.ForecastSourceContract;

/** The forecast source contract on the H2 store: open and won deals grouped in its SQL. */
class H2ForecastSourceContractTest extends ForecastSourceContract {
    @Override
    protected ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities) {
        CrmStore store = CrmStore.inMemory();
        store.processes().save(process);
        store.opportunities().insertAll(opportunities);
        return store;
    }
}
