package org.crmkit.testkit.funnel;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.FunnelSourceContract;

/** The source contract on the in-memory columns (retaining the opportunities, for custom predicates). */
class ColumnsSourceContractTest extends FunnelSourceContract {
    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        return OpportunityColumns.retaining(opportunities.stream());
    }

    @Override
    protected boolean reconstructsFieldHistory() {
        return false; // the columns of a book as it is hold no field history
    }
}
