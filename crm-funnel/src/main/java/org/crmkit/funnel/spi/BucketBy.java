package org.crmkit.funnel.spi;

/** Which date of an opportunity places it in a period bucket of a {@link AggregateQuery}. */
public enum BucketBy {
    /** No bucketing: every opportunity is in bucket 0. */
    NONE,
    /** The creation date (the creation instant's date in the query's zone). */
    CREATED,
    /**
     * When the opportunity is closed at the evaluation instant, the date of its closing
     * transition (the transition into WON or LOST in effect) in the query's zone; otherwise its
     * expected close date. The transition, not {@code CloseInfo.closeDate}, places a close: it is
     * what the ACTIVITY funnel and the forecast cut periods from too, so every module puts a
     * close in the same period in any calendar zone.
     */
    CLOSE
}
