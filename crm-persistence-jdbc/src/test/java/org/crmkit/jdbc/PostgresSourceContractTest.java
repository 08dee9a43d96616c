package org.crmkit.jdbc;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.FunnelSourceContract;

/** The source contract on embedded PostgreSQL (a schema per source): the funnel grouped in its SQL. */
class PostgresSourceContractTest extends FunnelSourceContract {
    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        CrmStore store = CrmStore.builder().dataSource(EmbeddedPg.freshSchema()).build();
        store.processes().save(process);
        store.opportunities().insertAll(opportunities);
        return store;
    }
}
