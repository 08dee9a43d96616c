package org.crmkit.core;

/**
 * Forecast categories as Salesforce users know them. Reported individually and
 * cumulatively: Commit = Commit + Closed; Best case = Best case + Commit + Closed;
 * Open pipeline = Pipeline + Best case + Commit.
 */
public enum ForecastCategory {
    /** Won: counted as actual. */
    CLOSED,
    /** The manager commits to close it in the period. */
    COMMIT,
    /** Likely, but not committed. */
    BEST_CASE,
    /** Open, not yet likely. */
    PIPELINE,
    /** Excluded from the forecast (lost, or set aside by hand). */
    OMITTED
}
