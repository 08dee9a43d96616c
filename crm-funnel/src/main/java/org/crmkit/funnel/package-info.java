/**
 * The funnel engine of crmkit: funnels, conversion, time in stage, win rate, cycle length,
 * sales velocity, comparisons and rankings, win/loss analysis, coverage and dynamics over
 * any node of an org structure. Every figure is derived from mergeable cells
 * ({@link org.crmkit.funnel.spi.FunnelCells}) supplied by a
 * {@link org.crmkit.funnel.spi.FunnelCellSource}: in memory ({@link org.crmkit.funnel.OpportunityColumns})
 * or pushed down to a store. Start at {@link org.crmkit.funnel.FunnelEngine}.
 */
package org.crmkit.funnel;
