package org.crmkit.funnel;

import org.crmkit.core.ManagerId;
import org.crmkit.funnel.internal.FunnelTotals;

/**
 * The population of one funnel query split by owner, in whatever form the source gives it
 * (per-owner figures of the columns, or per-owner cells): the engine sums the parts of a
 * node's distinct owners into {@link FunnelTotals}.
 */
interface OwnerParts {
    /**
     * Empty totals able to take these parts.
     *
     * @param openStages the number of open stages
     * @return the totals
     */
    FunnelTotals totals(int openStages);

    /**
     * Adds one owner's part (nothing when the owner has none).
     *
     * @param totals the totals
     * @param owner the owner
     */
    void addTo(FunnelTotals totals, ManagerId owner);

    /**
     * Whether summing many nodes over these parts may use the common pool (the columns say
     * no when their scans run on one thread, so a one-thread configuration stays one thread).
     *
     * @return true when parallel roll-ups are welcome
     */
    default boolean parallel() {
        return true;
    }
}
