/**
 * Weighted forecasting and sales planning over crmkit opportunities.
 *
 * <p>Start with {@link org.crmkit.forecast.ForecastEngine}: configure it with a
 * {@link org.crmkit.forecast.ForecastConfig} (fiscal calendar, period type, reporting
 * currency and policies), a probability model ({@link org.crmkit.forecast.ProbabilityModels},
 * {@link org.crmkit.forecast.HistoricalWinRateModel} or your own
 * {@link org.crmkit.forecast.spi.ProbabilityModel}), the caller's exchange rates and the sales
 * processes; {@code snapshot(opportunities)} classifies them once into a
 * {@link org.crmkit.forecast.ForecastSnapshot}, which answers:
 * <ul>
 *   <li>{@link org.crmkit.forecast.Forecast}: per period, the categories individually and
 *       cumulatively, weighted open and projected revenue;</li>
 *   <li>{@link org.crmkit.forecast.NodeForecast}: a roll-up over the org structure with
 *       manager adjustments beside the computed figures;</li>
 *   <li>{@link org.crmkit.forecast.PlanVsActual}: plan vs actual vs forecast, attainment, gap,
 *       coverage and large deals;</li>
 *   <li>{@link org.crmkit.forecast.RevenueDistribution}: mean, variance and P10/P50/P90 of a
 *       period's revenue.</li>
 * </ul>
 *
 * <p>Beside the close-date bucketing, {@link org.crmkit.forecast.TimeToCloseModel} measures from
 * the stage history how long deals take from entering each stage to being won or lost
 * (Aalen–Johansen cumulative incidence with censoring of open deals, pooled per process,
 * optionally per unit or manager with a fallback); {@link org.crmkit.forecast.ForecastEngine#timingForecast}
 * places the open deals in future months by it ({@link org.crmkit.forecast.MeasuredForecast},
 * {@link org.crmkit.forecast.PipelineGap}); {@link org.crmkit.forecast.LeadingIndicator} turns a
 * period's work into the revenue it is expected to bring after it;
 * {@link org.crmkit.forecast.TimingBacktest} compares both with the close-date forecast on past
 * months; {@link org.crmkit.forecast.LargeDealReview} shows each owner's attainment with and
 * without the deals that exceed a share of the owner's plan.
 *
 * <p>From the opportunities' field history, how good the forecast was:
 * {@link org.crmkit.forecast.ForecastBacktest} compares what the forecast said at points of past
 * periods (the book as it was then) with the revenue won, with bias, MAPE and P10–P90 coverage;
 * {@link org.crmkit.forecast.ProbabilityCalibration} scores the probability models on closed deals
 * (Brier score, reliability tables); {@link org.crmkit.forecast.CloseDateSlip} counts how often and
 * how far expected close dates were pushed or pulled.
 * <pre>{@code
 * ForecastConfig config = ForecastConfig.builder(FiscalCalendar.of(Month.APRIL, zone), eur)
 *         .periodType(PeriodType.QUARTER).build();
 * ForecastEngine engine = ForecastEngine.builder(config)
 *         .probabilityModel(ProbabilityModels.stageDefault())
 *         .exchangeRates(rates).processes(SalesProcesses.corporateSales()).clock(clock).build();
 * ForecastSnapshot snapshot = engine.snapshot(opportunities);
 * Forecast quarters = snapshot.forecast(org, UnitId.of("sales"));
 * PlanVsActual q1 = snapshot.planVsActual(org, UnitId.of("sales"), quarter, plans);
 * RevenueDistribution spread = snapshot.distribution(quarter);
 * }</pre>
 * Every figure is an exact decimal in the reporting currency; results are immutable records
 * that Jackson writes as they are (register the JSR-310 module for dates).
 */
package org.crmkit.forecast;
