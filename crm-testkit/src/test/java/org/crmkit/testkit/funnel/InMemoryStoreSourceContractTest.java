package org.crmkit.testkit.funnel;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.funnel.RepositoryFunnelSource;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.FunnelSourceContract;

/** The source contract on crm-core's in-memory store, answered through {@link RepositoryFunnelSource}. */
class InMemoryStoreSourceContractTest extends FunnelSourceContract {
    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        InMemoryStorage store = new InMemoryStorage();
        store.processes().save(process);
        store.opportunities().insertAll(opportunities);
        return RepositoryFunnelSource.of(store.opportunities());
    }
}
