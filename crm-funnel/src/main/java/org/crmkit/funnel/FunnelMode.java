package org.crmkit.funnel;

/** Which opportunities a funnel query looks at, and as of when. */
public enum FunnelMode {
    /**
     * The opportunities created in the period, in their state as of the query's as-of
     * instant (now by default): "how did the deals we opened in Q1 do?".
     */
    COHORT,
    /**
     * The stage entries that happened in the period (the "preparatory work" view): an
     * opportunity counts for the stages it newly reached during the period, and as won or
     * lost when it closed during the period. State is replayed to the end of the period (or
     * the as-of instant when earlier).
     */
    ACTIVITY,
    /**
     * Every opportunity that existed at the as-of instant (created in the period, when one
     * is given), in its state as of that instant, replayed from the stage history.
     */
    SNAPSHOT
}
