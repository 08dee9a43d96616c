package org.crmkit.funnel;

/** What a ranking of managers ("best managers") orders by, highest first. */
public enum RankBy {
    /** The actual revenue of the won opportunities. */
    WON_AMOUNT,
    /** The win rate, {@code won / (won + lost)}. */
    WIN_RATE,
    /** The cumulative conversion from the first to the last open stage. */
    CONVERSION,
    /** The sales velocity (expected revenue per day). */
    VELOCITY
}
