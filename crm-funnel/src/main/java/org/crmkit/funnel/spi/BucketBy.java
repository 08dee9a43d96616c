package org.crmkit.funnel.spi;

/** Which date of an opportunity places it in a period bucket of a {@link AggregateQuery}. */
public enum BucketBy {
    /** No bucketing: every opportunity is in bucket 0. */
    NONE,
    /** The creation date (the creation instant's date in the query's zone). */
    CREATED,
    /**
     * The close date when the opportunity is closed at the evaluation instant
     * ({@code CloseInfo.closeDate}), otherwise its expected close date.
     */
    CLOSE
}
