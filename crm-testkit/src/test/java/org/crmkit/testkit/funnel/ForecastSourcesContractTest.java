package org.crmkit.testkit.funnel;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.RepositoryFunnelSource;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.testkit.ForecastSourceContract;
import org.junit.jupiter.api.Nested;

/** The forecast source contract on every in-memory source. */
class ForecastSourcesContractTest {
    /** The columns, one owner after another. */
    @Nested
    class Columns extends ForecastSourceContract {
        @Override
        protected ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities) {
            return OpportunityColumns.of(opportunities.stream()).withParallelThreshold(Integer.MAX_VALUE);
        }
    }

    /** The columns with every owner scanned in parallel. */
    @Nested
    class ParallelColumns extends ForecastSourceContract {
        @Override
        protected ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities) {
            return OpportunityColumns.of(opportunities.stream()).withParallelThreshold(0);
        }
    }

    /** crm-core's in-memory store, through {@link RepositoryFunnelSource}. */
    @Nested
    class InMemoryStore extends ForecastSourceContract {
        @Override
        protected ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities) {
            InMemoryStorage store = new InMemoryStorage();
            store.processes().save(process);
            store.opportunities().insertAll(opportunities);
            return RepositoryFunnelSource.of(store.opportunities());
        }
    }
}
