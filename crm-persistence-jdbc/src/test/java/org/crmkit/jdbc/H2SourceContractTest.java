package org.crmkit.jdbc;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.FunnelSourceContract;

/** The source contract on the H2 store: the funnel grouped in H2's SQL. */
class H2SourceContractTest extends FunnelSourceContract {
    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        CrmStore store = CrmStore.inMemory();
        store.processes().save(process);
        store.opportunities().insertAll(opportunities);
        return store;
    }
}
