package org.crmkit.forecast;

/** The figures of a {@link PeriodForecast} a manager can adjust. */
public enum ForecastFigure {
    /** The actual revenue of won deals. */
    CLOSED,
    /** Commit, cumulative (Commit + Closed), by amount. */
    COMMIT,
    /** Best case, cumulative (Best case + Commit + Closed), by amount. */
    BEST_CASE,
    /** Open pipeline (Pipeline + Best case + Commit), by amount. */
    OPEN_PIPELINE,
    /** The expected value of the open pipeline. */
    WEIGHTED_OPEN,
    /** Closed + weighted open. */
    PROJECTED
}
