package org.crmkit.jdbc;

import org.crmkit.funnel.spi.FunnelStats;

/**
 * One key where the aggregates a {@link CrmStore} maintains differ from the aggregates
 * recomputed from its opportunity table ({@link CrmStore#verifyAggregates}).
 *
 * @param owner the owner id
 * @param process the process id
 * @param month the month of creation as {@code yyyymm} in the store's zone, 0 for every month
 * @param expected the stats recomputed from the opportunities, null when there are none
 * @param maintained the stats the store keeps, null when it keeps none (or they do not add up)
 * @param what the counting policy whose stats differ ({@code LINEAR} or {@code STRICT}), or why
 *     the kept stats do not add up
 */
public record AggregateDifference(String owner, String process, int month, FunnelStats expected,
        FunnelStats maintained, String what) {
}
