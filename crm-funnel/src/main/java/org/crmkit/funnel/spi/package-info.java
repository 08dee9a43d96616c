/**
 * The extension point a store implements to feed the funnel engine, and the aggregate it
 * answers with. A {@link org.crmkit.funnel.spi.FunnelSource} answers an
 * {@link org.crmkit.funnel.spi.AggregateQuery} (owners, process, instant, windows, filter,
 * counting policy, buckets) with one {@link org.crmkit.funnel.spi.FunnelStats} per owner and
 * bucket ({@link org.crmkit.funnel.spi.OwnerAggregates}): exact counts, exact {@code long} money
 * per currency and exact day histograms, everything a funnel needs. Stats are
 * {@link org.crmkit.funnel.spi.Aggregate aggregates}: they add up (any order, any place) and
 * subtract exactly, so a node of any org structure is the sum of its distinct owners' stats.
 * {@link org.crmkit.funnel.spi.FunnelReference} is the reference definition on opportunity
 * objects that every source is tested against.
 */
package org.crmkit.funnel.spi;
