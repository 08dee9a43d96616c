package org.crmkit.funnel;

import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.funnel.internal.FunnelTotals;
import org.crmkit.funnel.internal.OwnerFigures;

/**
 * The population of one funnel query split by owner (per-owner figures of the columns, or a
 * source's cells summed once per owner): the engine sums the parts of a node's distinct
 * owners into {@link FunnelTotals}.
 *
 * @param figures each owner's figures (owners without an opportunity in the population absent)
 * @param currencies the currencies the figures' money indexes refer to
 * @param parallel whether summing many nodes may use the common pool (the columns say no when
 *     their scans run on one thread, so a one-thread configuration stays one thread)
 */
record OwnerParts(Map<ManagerId, OwnerFigures> figures, List<CurrencyUnit> currencies, boolean parallel) {
    /**
     * Empty totals able to take these parts.
     *
     * @param openStages the number of open stages
     * @return the totals
     */
    FunnelTotals totals(int openStages) {
        return new FunnelTotals(openStages, currencies);
    }

    /**
     * The opportunities of one owner in the population.
     *
     * @param owner the owner
     * @return the count, 0 when the owner has none
     */
    long count(ManagerId owner) {
        OwnerFigures f = figures.get(owner);
        return f == null ? 0 : f.count();
    }

    /**
     * Adds one owner's part (nothing when the owner has none).
     *
     * @param totals the totals
     * @param owner the owner
     */
    void addTo(FunnelTotals totals, ManagerId owner) {
        OwnerFigures f = figures.get(owner);
        if (f != null) {
            totals.add(owner, f);
        }
    }
}
