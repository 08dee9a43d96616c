package org.crmkit.testkit.funnel;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.FunnelSourceContract;

/** The source contract on the columns scanning every query on the common pool (split by owner). */
class ParallelColumnsSourceContractTest extends FunnelSourceContract {
    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        return OpportunityColumns.retaining(opportunities.stream()).withParallelThreshold(0);
    }

    @Override
    protected boolean reconstructsFieldHistory() {
        return false; // the columns of a book as it is hold no field history
    }
}
