package org.crmkit.funnel.internal;

import org.crmkit.core.OpportunityStatus;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.CellKey;

/**
 * Reads a cell key under a counting policy and mode: which stages it reached, whether it
 * counts as won or lost. One place for these rules so figures and drill-down agree.
 *
 * @param policy the counting policy
 * @param openStages the number of open stages
 * @param activity whether the query has an activity window (only changes inside it count)
 */
public record KeyRules(CountingPolicy policy, int openStages, boolean activity) {
    /**
     * The open stages the key's opportunities reached (in the window, for activity).
     *
     * @param key the cell key
     * @return the mask of reached stages
     */
    public long reached(CellKey key) {
        return reached(key.enteredMask(), key.status() == OpportunityStatus.WON, key.priorStage(),
                key.priorEnteredMask());
    }

    /**
     * The open stages reached, from the key's columns (the scan's per-row form).
     *
     * @param enteredMask the open stages entered before the evaluation instant
     * @param won whether won at the evaluation instant
     * @param priorStage the stage just before the activity window, or {@code -1}
     * @param priorEnteredMask the open stages entered before the activity window
     * @return the mask of reached stages
     */
    public long reached(long enteredMask, boolean won, int priorStage, long priorEnteredMask) {
        long now = policy.reachedMask(enteredMask, won, openStages);
        if (!activity || priorStage < 0) {
            return now;
        }
        long before = policy.reachedMask(priorEnteredMask, priorStage == openStages, openStages);
        return now & ~before;
    }

    /**
     * Whether a closed row counts as won or lost, from its stage columns.
     *
     * @param stage the stage index at the evaluation instant (closed: {@code >= openStages})
     * @param priorStage the stage just before the activity window, or {@code -1}
     * @return true when it counts
     */
    public boolean closedCounts(int stage, int priorStage) {
        return stage >= openStages && !(activity && priorStage == stage);
    }

    /**
     * Whether the key's opportunities count as closed with their status: always for closed
     * ones, and for activity only when they were not already in that terminal stage when the
     * window opened.
     *
     * @param key the cell key
     * @return true when they count as won or lost
     */
    public boolean closedCounts(CellKey key) {
        return key.status().isClosed() && closedCounts(key.stage(), key.priorStage());
    }

    /**
     * Whether the key's opportunities belong to a measure.
     *
     * @param key the cell key
     * @param measure the measure
     * @param stage the stage for per-stage measures
     * @return true when they belong to it
     */
    public boolean matches(CellKey key, FunnelMeasure measure, int stage) {
        return switch (measure) {
            case POPULATION -> true;
            case REACHED -> (reached(key) & (1L << stage)) != 0;
            case AT -> key.status() == OpportunityStatus.OPEN && key.stage() == stage;
            case DROPPED -> key.status() == OpportunityStatus.LOST && closedCounts(key) && key.furthestStage() == stage;
            case OPEN -> key.status() == OpportunityStatus.OPEN;
            case WON -> key.status() == OpportunityStatus.WON && closedCounts(key);
            case LOST -> key.status() == OpportunityStatus.LOST && closedCounts(key);
        };
    }
}
