/**
 * Reports over crmkit results. {@link org.crmkit.report.SalesReport} computes every figure a
 * head of sales reads once, through {@link org.crmkit.funnel.FunnelEngine} and
 * {@link org.crmkit.forecast.ForecastEngine}: the funnel of each department with its managers,
 * conversion, win/loss, plan vs actual, the forecast by category with its range, the measured
 * timing forecast beside the close-date one, the leading indicator of last month's work and the
 * pipeline gap per manager, workload, and the large deals of the half-year with each owner's
 * attainment with and without them. {@link org.crmkit.report.HtmlReport} writes it as one
 * self-contained page (inline CSS and SVG, no script, no link outside the file);
 * {@link org.crmkit.report.CsvExport} writes any result record of the funnel and forecast
 * modules, or the whole report, as CSV.
 */
package org.crmkit.report;
