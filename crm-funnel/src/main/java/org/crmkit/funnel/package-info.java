/**
 * The funnel engine of crmkit: funnels, conversion, time in stage, win rate, cycle length,
 * sales velocity, comparisons and rankings, win/loss analysis, coverage and dynamics over
 * any node of an org structure. Start at {@link org.crmkit.funnel.FunnelEngine}.
 * {@link org.crmkit.funnel.Workload} tells how busy each manager of a node is (open and idle
 * deals, entries logged, hours on closed deals) beside the node's average and median.
 *
 * <h2>How figures are computed</h2>
 * Every figure is derived from mergeable per-owner aggregates
 * ({@link org.crmkit.funnel.spi.FunnelStats}): per owner, exact counts, exact {@code long}
 * minor-unit sums per currency and exact day histograms of durations, under the query's mode
 * and counting policy. A {@link org.crmkit.funnel.spi.FunnelSource} supplies them: in memory
 * ({@link org.crmkit.funnel.OpportunityColumns}, a columnar scan split over the cores), grouped
 * in a store's SQL, or merged on a cluster. A node's figures are the sum of its distinct
 * owners' stats, so an opportunity counts once however many paths lead to its owner, and a
 * company with all its units comes from one fetch. The state of an opportunity as of an
 * instant has one definition, {@link org.crmkit.core.StageReplay} (inclusive of the instant).
 *
 * <h2>Decisions (where DESIGN.md leaves room)</h2>
 * <ul>
 *   <li><b>Modes.</b> COHORT: created in the period, state as of the as-of instant (now by
 *       default). SNAPSHOT: everything created up to the as-of instant (within the period
 *       when one is given), state replayed from the stage history. ACTIVITY: opportunities
 *       with a stage change in the period; a stage counts as reached when it was newly
 *       reached in the period (reached at the end under the policy, not at the start), won
 *       and lost count when the opportunity entered that terminal stage in the period (also
 *       when it was reopened and closed again inside it). So in
 *       ACTIVITY mode a step conversion compares entries into two stages during the period
 *       and may exceed 1 (the earlier stage was entered before the period).</li>
 *   <li><b>Weighted amounts.</b> amount × the opportunity's own probability when its stage
 *       as of the evaluation instant is its current stage; otherwise (a replayed, older
 *       stage) × the default probability of that stage.</li>
 *   <li><b>Money.</b> Sums stay exact per currency; each currency is converted once, at the
 *       rate of one date for the whole result (the query's rate date, by default the as-of
 *       date), and rounded half-even to the reporting currency's minor unit only when the
 *       result is built. Won amounts are the actual revenue booked.</li>
 *   <li><b>Durations.</b> Time in a stage: per opportunity, the seconds of all its completed
 *       visits of the stage (the current visit is not over and does not count). Cycle length:
 *       creation to the transition into WON or LOST. Means are exact; medians come from exact
 *       whole-day histograms, with their error bound on {@link org.crmkit.funnel.DurationStats}.</li>
 *   <li><b>Velocity.</b> open count × win rate × mean won revenue / mean cycle length of the
 *       won deals in days: expected revenue per day.</li>
 *   <li><b>Coverage.</b> The open pipeline whose expected close date falls in the plan's
 *       period, over {@code max(0, plan − revenue won in the period)}. An overdue open deal
 *       (expected close date before the as-of date) counts in the period holding the as-of
 *       date by default ({@link org.crmkit.funnel.OverduePolicy}, the forecast's rule too).</li>
 *   <li><b>When a deal closed.</b> Every period a close is counted in (ACTIVITY, coverage,
 *       {@code BucketBy.CLOSE}) is cut from the date of its closing transition in the
 *       calendar's zone, never from {@code CloseInfo.closeDate}: the forecast does the same,
 *       so the two agree in any zone.</li>
 * </ul>
 */
package org.crmkit.funnel;
