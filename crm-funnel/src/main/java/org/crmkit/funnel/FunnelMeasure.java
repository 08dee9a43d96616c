package org.crmkit.funnel;

/**
 * A numerator or denominator of a funnel figure, to drill down to the opportunity ids
 * behind it with {@link FunnelEngine#drillDown}. Step conversion of stage {@code s} is
 * {@code REACHED(s) / REACHED(s-1)}, cumulative conversion {@code REACHED(s) / REACHED(0)},
 * win rate {@code WON / (WON + LOST)}.
 */
public enum FunnelMeasure {
    /** Every opportunity of the population. */
    POPULATION,
    /** Those that reached the stage, under the query's counting policy. */
    REACHED,
    /** Those open at the stage. */
    AT,
    /** Those lost with the stage as their furthest. */
    DROPPED,
    /** Those open. */
    OPEN,
    /** Those won (in ACTIVITY mode: during the period). */
    WON,
    /** Those lost (in ACTIVITY mode: during the period). */
    LOST;

    /**
     * Whether the measure is per stage.
     *
     * @return true for {@link #REACHED}, {@link #AT} and {@link #DROPPED}
     */
    public boolean perStage() {
        return this == REACHED || this == AT || this == DROPPED;
    }
}
