package org.crmkit.core;

/** The length of a reporting period. */
public enum PeriodType {
    /** A calendar month. */
    MONTH(1),
    /** A fiscal quarter: three months from the fiscal year start. */
    QUARTER(3),
    /** A fiscal half-year: six months from the fiscal year start. */
    HALF_YEAR(6),
    /** A fiscal year. */
    YEAR(12),
    /** Any date range given by the caller. */
    CUSTOM(0);

    private final int months;

    PeriodType(int months) {
        this.months = months;
    }

    /**
     * The length in months.
     *
     * @return months per period; 0 for {@link #CUSTOM}
     */
    public int months() {
        return months;
    }
}
