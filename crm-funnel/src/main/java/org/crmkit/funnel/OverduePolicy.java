package org.crmkit.funnel;

/**
 * Where an open opportunity goes when its expected close date has passed (is before the
 * as-of date, in the calendar's zone). One rule for the whole SDK: the funnel's coverage
 * ({@link FunnelEngine#coverage(FunnelQuery, org.crmkit.core.SalesPlan, OverduePolicy)}) and the
 * forecast ({@code ForecastConfig.overduePolicy()}) take the same policy with the same default,
 * so the open pipeline a coverage counts for a period is the pipeline the forecast places in it.
 *
 * <p>Put as a rule on dates: under {@link #CURRENT_PERIOD} an open deal is placed by
 * {@code max(expected close date, as-of date)}; under {@link #CLOSE_DATE_PERIOD} by its
 * expected close date.
 */
public enum OverduePolicy {
    /**
     * Into the current period, the one holding the as-of date (the default, as CRMs show it: a
     * slipped deal is still expected, now). A period that ended before the as-of date then holds
     * no open pipeline; the period holding the as-of date holds the overdue deals.
     */
    CURRENT_PERIOD,
    /**
     * Into the past period of its expected close date, where it stays visible as slipped (and
     * no longer counts toward the current period's coverage).
     */
    CLOSE_DATE_PERIOD
}
