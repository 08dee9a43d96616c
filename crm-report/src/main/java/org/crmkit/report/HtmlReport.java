package org.crmkit.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmkit.forecast.ExpectedMonth;
import org.crmkit.forecast.Figure;
import org.crmkit.forecast.ForecastLine;
import org.crmkit.forecast.LargeDealReview;
import org.crmkit.forecast.LeadingIndicator;
import org.crmkit.forecast.PipelineGap;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.forecast.StageEntries;
import org.crmkit.forecast.StageTiming;
import org.crmkit.funnel.ManagerWorkload;
import org.crmkit.funnel.Workload;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.StageFigures;
import org.crmkit.funnel.WinLossAnalysis;
import org.crmkit.funnel.WinLossRow;

/**
 * Writes a {@link SalesReport} as one self-contained HTML page: inline CSS and inline SVG
 * charts (the funnel as stacked trapezoids, the monthly dynamics, plan vs actual bars), no
 * script, no font, no link to anything outside the file, so it opens anywhere, offline, and
 * can be mailed as it is. Every text from the data goes through {@link #escape(String)}.
 *
 * <p>The funnel's stages carry {@code class="funnel-stage"} with {@code data-stage} and
 * {@code data-reached} attributes, so tools (and the tests) can find them in the DOM. Every
 * chart is an {@code <svg>} with a class naming it ({@link #CHARTS}); {@link #charts} renders
 * each one alone, so a browser check can look at one chart at a time.
 */
public final class HtmlReport {
    private static final String[] STAGE_COLOURS = {"#1f4e79", "#245f94", "#2a6fad", "#3380c2", "#4a90c8"};
    private static final int FUNNEL_WIDTH = 340;
    /** The class of every chart of the page, in page order (funnels repeat per department). */
    public static final List<String> CHARTS = List.of("funnel", "dynamics", "plan-vs-actual", "forecast-range",
            "timing", "leading", "workload", "large-deals");
    private static final String MEASURED = "#2e75b6";
    private static final String CLOSE_DATE = "#e69138";

    private HtmlReport() {
    }

    /**
     * Escapes text for HTML element content and quoted attribute values.
     *
     * @param text any text, possibly null
     * @return the text with {@code & < > " '} replaced by character references; "" for null
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Writes the report to a file (UTF-8), creating its directory.
     *
     * @param report the report
     * @param asOfDate the as-of date shown in the title
     * @param file the target file
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(SalesReport report, LocalDate asOfDate, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, render(report, asOfDate), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report to " + file, e);
        }
    }

    /**
     * Renders the report.
     *
     * @param r the report
     * @param asOfDate the as-of date shown in the title
     * @return the HTML page
     */
    public static String render(SalesReport r, LocalDate asOfDate) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = r.company() + ": sales report as of " + asOfDate;
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}\n")
                .append("h1{font-size:24px}h2{font-size:19px;margin-top:32px;border-bottom:1px solid #ccc}\n")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 9px;border-bottom:1px solid #e3e3e3}\n")
                .append("th{text-align:left;background:#f3f6f9}td.n,th.n{text-align:right}td:first-child{white-space:nowrap}tr.total td{font-weight:bold}\n")
                .append("svg text{font-family:sans-serif}.note{color:#666;font-size:13px}\n")
                .append("</style></head><body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n<p class=\"note\">Opportunities created ")
                .append(escape(r.window().toString())).append("; amounts in ").append(escape(r.currency()))
                .append(", converted at dated rates; rounded only here.</p>\n");

        for (SalesReport.DepartmentFunnel d : r.departments()) {
            h.append("<section class=\"department\" data-node=\"").append(escape(d.node().key())).append("\">\n");
            h.append("<h2>Funnel of the ").append(escape(d.name())).append("</h2>\n");
            funnel(h, d.total());
            conversionTable(h, d.total());
            h.append("<h3>Managers beside the department</h3>\n");
            comparisonTable(h, d, r.currency());
            h.append("</section>\n");
        }

        h.append("<h2>Monthly dynamics</h2>\n");
        dynamicsChart(h, r.months());
        h.append("<h2>Plan vs actual by month</h2>\n");
        planChart(h, r.months(), r.currency());

        for (SalesReport.PlanSection p : r.plans()) {
            h.append("<h2>Plan vs actual, ").append(escape(p.title().toLowerCase(Locale.ROOT))).append(" (")
                    .append(escape(p.period().toString())).append(")</h2>\n<table><tr><th>Node</th>")
                    .append("<th class=\"n\">Plan</th><th class=\"n\">Actual</th><th class=\"n\">Attainment</th>")
                    .append("<th class=\"n\">Gap to plan</th></tr>\n");
            for (SalesReport.PlanRow row : p.rows()) {
                h.append("<tr").append(row.manager() ? "" : " class=\"total\"").append("><td>")
                        .append(escape(row.name())).append("</td>");
                cells(h, Fmt.money(row.figures().plan()), Fmt.money(row.figures().actual()),
                        Fmt.pct(row.figures().attainment()), Fmt.money(row.figures().remaining()));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }

        SalesReport.ForecastSection fs = r.forecast();
        h.append("<h2>Forecast for ").append(escape(fs.period().toString())).append("</h2>\n")
                .append("<p class=\"note\">Probabilities: ").append(escape(fs.model())).append("</p>\n")
                .append("<table><tr><th>Category</th>");
        for (SalesReport.NodeOutlook n : fs.nodes()) {
            h.append("<th class=\"n\">").append(escape(n.name())).append("</th>");
        }
        h.append("</tr>\n");
        for (String category : Fmt.CATEGORIES) {
            h.append("<tr><td>").append(escape(category)).append("</td>");
            for (SalesReport.NodeOutlook n : fs.nodes()) {
                Figure f = Fmt.figure(n.forecast(), category);
                cells(h, Fmt.money(f.amount()) + " (" + f.count() + ")");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<table><tr><th>Revenue distribution</th><th class=\"n\">Mean</th><th class=\"n\">P10</th>")
                .append("<th class=\"n\">P50</th><th class=\"n\">P90</th><th>Method</th></tr>\n");
        for (SalesReport.NodeOutlook n : fs.nodes()) {
            RevenueDistribution d = n.distribution();
            h.append("<tr><td>").append(escape(n.name())).append("</td>");
            cells(h, Fmt.money(d.mean()), Fmt.money(d.p10()), Fmt.money(d.p50()), Fmt.money(d.p90()));
            h.append("<td>").append(escape(d.method().toString())).append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h3>Forecast range</h3>\n<p class=\"note\">P10 to P90 of each node's revenue, the bar at P50, the"
                + " dot at the mean.</p>\n");
        forecastRange(h, fs.nodes(), r.currency());

        timingSection(h, r);
        leadingSection(h, r);
        workloadSection(h, r);
        largeDealSection(h, r);

        WinLossAnalysis wl = r.winLoss();
        h.append("<h2>Funnel completeness</h2>\n<p class=\"note\">Open pipeline expected to close in the period")
                .append(" against the plan still to close.</p>\n<table><tr><th>Node</th><th>Period</th>")
                .append("<th class=\"n\">Plan</th><th class=\"n\">Won</th><th class=\"n\">Still to close</th>")
                .append("<th class=\"n\">Open deals</th><th class=\"n\">Pipeline</th><th class=\"n\">Weighted</th>")
                .append("<th class=\"n\">Coverage</th><th class=\"n\">Weighted coverage</th></tr>\n");
        for (SalesReport.CoverageRow row : r.coverage()) {
            org.crmkit.funnel.Coverage c = row.coverage();
            h.append("<tr><td>").append(escape(row.name())).append("</td><td>").append(escape(c.period()))
                    .append("</td>");
            cells(h, Fmt.money(c.plan()), Fmt.money(c.actual()), Fmt.money(c.remaining()),
                    Long.toString(c.openCount()), Fmt.money(c.pipeline()), Fmt.money(c.weightedPipeline()),
                    Fmt.pct(c.coverage()), Fmt.pct(c.weightedCoverage()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Win/loss analysis</h2>\n<p class=\"note\">").append(escape("Won " + wl.won() + " ("
                + Fmt.money(wl.wonAmount()) + " " + r.currency() + "), lost " + wl.lost() + " ("
                + Fmt.money(wl.lostAmount()) + " " + r.currency() + ")")).append("</p>\n")
                .append("<table><tr><th>Reason</th><th class=\"n\">Won</th><th class=\"n\">Lost</th>")
                .append("<th class=\"n\">Win rate</th><th class=\"n\">Won amount</th><th class=\"n\">Lost amount</th>")
                .append("</tr>\n");
        for (WinLossRow w : wl.byReason()) {
            h.append("<tr><td>").append(escape(w.key())).append("</td>");
            cells(h, Long.toString(w.won()), Long.toString(w.lost()), Fmt.pct(w.winRate()), Fmt.money(w.wonAmount()),
                    Fmt.money(w.lostAmount()));
            h.append("</tr>\n");
        }
        h.append("</table>\n<table><tr><th>Lost to competitor</th><th class=\"n\">Lost</th>")
                .append("<th class=\"n\">Lost amount</th></tr>\n");
        for (WinLossRow w : wl.byCompetitor()) {
            h.append("<tr><td>").append(escape(w.key())).append("</td>");
            cells(h, Long.toString(w.lost()), Fmt.money(w.lostAmount()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>What each open deal needs next</h2>\n<table><tr><th>Deal</th><th>Owner</th><th>Title</th>")
                .append("<th>Needs next</th></tr>\n");
        for (SalesReport.NextStep s : r.nextSteps()) {
            h.append("<tr><td>").append(escape(s.id())).append("</td><td>").append(escape(s.owner()))
                    .append("</td><td>").append(escape(s.title())).append("</td><td>").append(escape(s.next()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    /**
     * Every chart of the report alone, keyed by its class (the first department's funnel stands
     * for the funnels), each a complete {@code <svg>} element.
     *
     * @param r the report
     * @return the charts in page order
     */
    public static Map<String, String> charts(SalesReport r) {
        Map<String, String> out = new LinkedHashMap<>();
        StringBuilder h = new StringBuilder();
        if (!r.departments().isEmpty()) {
            funnel(h, r.departments().get(0).total());
            out.put("funnel", h.toString());
        }
        h.setLength(0);
        dynamicsChart(h, r.months());
        out.put("dynamics", h.toString());
        h.setLength(0);
        planChart(h, r.months(), r.currency());
        out.put("plan-vs-actual", h.toString());
        h.setLength(0);
        forecastRange(h, r.forecast().nodes(), r.currency());
        out.put("forecast-range", h.toString());
        h.setLength(0);
        timingChart(h, r);
        out.put("timing", h.toString());
        h.setLength(0);
        leadingChart(h, r);
        out.put("leading", h.toString());
        h.setLength(0);
        workloadChart(h, r);
        out.put("workload", h.toString());
        h.setLength(0);
        largeDealChart(h, r);
        out.put("large-deals", h.toString());
        return out;
    }

    /**
     * A page holding one fragment (e.g. a chart of {@link #charts}) with the report's style.
     *
     * @param title the page title
     * @param body the HTML fragment, already escaped
     * @return the page
     */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>body{margin:8px;background:#fff}svg text{font-family:sans-serif}</style></head><body>\n"
                + body + "</body></html>\n";
    }

    /** One series of a bar chart: a name, a colour and one value per label. */
    private record Series(String name, String colour, List<Double> values) {
    }

    /** Grouped vertical bars, one group per label, with a legend and a y axis from 0. */
    private static void barChart(StringBuilder h, String css, String aria, List<String> labels, List<Series> series,
            String unit, Double line, String lineLabel) {
        int left = 80;
        int top = 24;
        int plotW = 700;
        int plotH = 220;
        double max = line == null ? 0 : line;
        for (Series s : series) {
            for (Double v : s.values()) {
                max = Math.max(max, v == null || v.isNaN() ? 0 : v);
            }
        }
        double yMax = niceCeiling(max);
        h.append("<svg class=\"").append(css).append("\" width=\"960\" height=\"").append(top + plotH + 60)
                .append("\" viewBox=\"0 0 960 ").append(top + plotH + 60).append("\" role=\"img\" aria-label=\"")
                .append(escape(aria)).append("\">\n");
        for (int g = 0; g <= 4; g++) {
            double y = top + plotH - plotH * g / 4.0;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
                    left, y, left + plotW, y, left - 6, y + 4, escape(axisLabel(yMax * g / 4))));
        }
        h.append("<text x=\"").append(left - 6).append("\" y=\"").append(top - 8)
                .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">").append(escape(unit)).append("</text>\n");
        int n = Math.max(1, labels.size());
        double slot = (double) plotW / n;
        double barW = slot * 0.8 / Math.max(1, series.size());
        for (int i = 0; i < labels.size(); i++) {
            double x0 = left + slot * i + slot * 0.1;
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                Double v = s.values().get(i);
                double value = v == null || v.isNaN() ? 0 : v;
                double hgt = yMax <= 0 ? 0 : plotH * value / yMax;
                h.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-series=\"%s\" data-value=\"%s\" "
                        + "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>\n",
                        escape(s.name()), escape(String.format(Locale.ROOT, "%.2f", value)), x0 + k * barW,
                        top + plotH - hgt, Math.max(1, barW - 2), hgt, s.colour(),
                        escape(s.name() + " " + labels.get(i) + ": " + axisLabel(value) + " " + unit)));
            }
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                    + "fill=\"#555\">%s</text>\n", left + slot * (i + 0.5), top + plotH + 16,
                    escape(Fmt.cut(labels.get(i), 18))));
        }
        if (line != null && yMax > 0) {
            double y = top + plotH - plotH * line / yMax;
            h.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
                    + "y2=\"%.1f\" stroke=\"#cc0000\" stroke-dasharray=\"6 4\" stroke-width=\"2\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#cc0000\">%s</text>\n", left, y,
                    left + plotW, y, left + plotW + 6, y + 4, escape(lineLabel)));
        }
        for (int k = 0; k < series.size(); k++) {
            h.append("<rect x=\"").append(left + plotW + 70).append("\" y=\"").append(top + 10 + k * 20)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(series.get(k).colour())
                    .append("\"/><text x=\"").append(left + plotW + 88).append("\" y=\"").append(top + 20 + k * 20)
                    .append("\" font-size=\"12\">").append(escape(series.get(k).name())).append("</text>\n");
        }
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
                left, top + plotH, left + plotW, top + plotH));
        h.append("</svg>\n");
    }

    private static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= max) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String axisLabel(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double num(BigDecimal v) {
        return v == null ? 0 : v.doubleValue();
    }

    /** P10..P90 of each node as a horizontal range, P50 as a bar, the mean as a dot. */
    private static void forecastRange(StringBuilder h, List<SalesReport.NodeOutlook> nodes, String currency) {
        int left = 230;
        int plotW = 600;
        int row = 44;
        int height = 40 + row * nodes.size();
        double max = 1;
        for (SalesReport.NodeOutlook n : nodes) {
            max = Math.max(max, num(n.distribution().p90()));
        }
        double xMax = niceCeiling(max);
        h.append("<svg class=\"forecast-range\" width=\"960\" height=\"").append(height).append("\" viewBox=\"0 0 960 ")
                .append(height).append("\" role=\"img\" aria-label=\"Forecast range\">\n");
        for (int g = 0; g <= 4; g++) {
            double x = left + plotW * g / 4.0;
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">%s</text>\n",
                    x, x, height - 20, x, height - 6, escape(axisLabel(xMax * g / 4) + (g == 4 ? " " + currency : ""))));
        }
        for (int i = 0; i < nodes.size(); i++) {
            SalesReport.NodeOutlook n = nodes.get(i);
            RevenueDistribution d = n.distribution();
            double y = 20 + i * row;
            double x10 = left + plotW * num(d.p10()) / xMax;
            double x90 = left + plotW * num(d.p90()) / xMax;
            double x50 = left + plotW * num(d.p50()) / xMax;
            double xm = left + plotW * num(d.mean()) / xMax;
            h.append("<g class=\"range\" data-node=\"").append(escape(n.name())).append("\">")
                    .append("<text x=\"10\" y=\"").append((int) y + 16).append("\" font-size=\"13\">")
                    .append(escape(Fmt.cut(n.name(), 30))).append("</text>")
                    .append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"22\" "
                            + "fill=\"#9fc5e8\"><title>%s</title></rect>", x10, y, Math.max(2, x90 - x10),
                            escape("P10 " + Fmt.money(d.p10()) + " .. P90 " + Fmt.money(d.p90()) + " " + currency)))
                    .append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"22\" "
                            + "fill=\"#1f4e79\"/>", x50 - 1.5, y))
                    .append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#cc4125\"/>",
                            xm, y + 11))
                    .append("</g>\n");
        }
        h.append("</svg>\n");
    }

    private static void timingChart(StringBuilder h, SalesReport r) {
        SalesReport.TimingSection t = r.timing();
        List<String> labels = new ArrayList<>();
        for (org.crmkit.core.Period m : t.months()) {
            labels.add(m.toString());
        }
        SalesReport.TimingRow company = t.nodes().get(0);
        List<Double> measured = new ArrayList<>();
        for (ExpectedMonth m : company.measured().months()) {
            measured.add(num(m.expectedRevenue()));
        }
        List<Double> closeDate = new ArrayList<>();
        for (BigDecimal v : company.closeDate()) {
            closeDate.add(num(v));
        }
        barChart(h, "timing", "Expected revenue per month: measured timing vs close dates", labels,
                List.of(new Series("Measured timing", MEASURED, measured),
                        new Series("Close dates", CLOSE_DATE, closeDate)), r.currency(), null, null);
    }

    private static void timingSection(StringBuilder h, SalesReport r) {
        SalesReport.TimingSection t = r.timing();
        h.append("<h2>Measured time to close</h2>\n<p class=\"note\">").append(escape("Model: " + t.model()
                + ". From entering each stage to winning or losing, with deals still open counted as censored"
                + " (Aalen–Johansen cumulative incidence); the expected revenue per month does not depend on the"
                + " close dates the managers typed in.")).append("</p>\n");
        h.append("<table class=\"stage-timing\"><tr><th>Stage</th><th class=\"n\">Entries</th><th class=\"n\">Won</th>")
                .append("<th class=\"n\">Lost</th><th class=\"n\">Open</th><th class=\"n\">P(win)</th>")
                .append("<th class=\"n\">P(loss)</th><th class=\"n\">Median days to win</th>")
                .append("<th class=\"n\">90 % of wins by day</th><th class=\"n\">Win within 90 days</th></tr>\n");
        for (StageTiming s : t.stages()) {
            h.append("<tr><td>").append(escape(s.stage())).append("</td>");
            cells(h, Long.toString(s.episodes()), Long.toString(s.won()), Long.toString(s.lost()),
                    Long.toString(s.censored()), Fmt.pct(s.winProbability()), Fmt.pct(s.lossProbability()),
                    s.medianDaysToWin() == null ? "-" : s.medianDaysToWin().toString(),
                    s.p90DaysToWin() == null ? "-" : s.p90DaysToWin().toString(), Fmt.pct(s.winWithin90Days()));
            h.append("</tr>\n");
        }
        h.append("</table>\n<h3>Expected revenue per month: measured timing beside the close dates</h3>\n");
        timingChart(h, r);
        h.append("<table class=\"timing\"><tr><th>Node</th><th>By</th>");
        for (org.crmkit.core.Period m : t.months()) {
            h.append("<th class=\"n\">").append(escape(m.toString())).append("</th>");
        }
        h.append("<th class=\"n\">Later</th><th class=\"n\">Not placed</th></tr>\n");
        for (SalesReport.TimingRow row : t.nodes()) {
            h.append("<tr><td>").append(escape(row.name())).append("</td><td>measured</td>");
            for (ExpectedMonth m : row.measured().months()) {
                cells(h, Fmt.money(m.expectedRevenue()));
            }
            cells(h, Fmt.money(row.measured().expectedRevenueLater()),
                    Fmt.money(row.measured().unresolvedRevenue().add(row.measured().unmodelledAmount())));
            h.append("</tr>\n<tr><td></td><td>close dates</td>");
            for (BigDecimal v : row.closeDate()) {
                cells(h, Fmt.money(v));
            }
            h.append("<td></td><td></td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void leadingChart(StringBuilder h, SalesReport r) {
        List<String> labels = new ArrayList<>();
        List<Double> won = new ArrayList<>();
        List<Double> next = new ArrayList<>();
        for (SalesReport.LeadingRow row : r.leading().rows()) {
            if (row.manager()) {
                labels.add(row.name());
                won.add(num(row.indicator().wonRevenue()));
                next.add(num(row.indicator().expectedRevenueAfter()));
            }
        }
        barChart(h, "leading", "Last month's work: revenue won in it and expected after it", labels,
                List.of(new Series("Won in the month", "#38761d", won),
                        new Series("Expected after it", MEASURED, next)), r.currency(), null, null);
    }

    private static void leadingSection(StringBuilder h, SalesReport r) {
        SalesReport.LeadingSection l = r.leading();
        h.append("<h2>Leading indicator: the work of ").append(escape(l.period().toString())).append("</h2>\n")
                .append("<p class=\"note\">Deals worked in the month (a stage newly reached, or won or lost), each"
                        + " once: won revenue is realised; deals still open at the month's end are placed in the"
                        + " following months by the measured timing.</p>\n");
        leadingChart(h, r);
        List<StageEntries> stages = l.rows().isEmpty() ? List.of() : l.rows().get(0).indicator().stages();
        h.append("<table class=\"leading\"><tr><th>Node</th><th class=\"n\">Worked</th><th class=\"n\">New</th>");
        for (StageEntries s : stages) {
            h.append("<th class=\"n\">").append(escape(Fmt.shortStage(s.name()))).append("</th>");
        }
        h.append("<th class=\"n\">Won</th><th class=\"n\">Won revenue</th><th class=\"n\">Open at end</th>");
        if (!l.rows().isEmpty()) {
            for (ExpectedMonth m : l.rows().get(0).indicator().outlook().months()) {
                h.append("<th class=\"n\">").append(escape("Expected " + m.month())).append("</th>");
            }
        }
        h.append("</tr>\n");
        for (SalesReport.LeadingRow row : l.rows()) {
            LeadingIndicator li = row.indicator();
            h.append("<tr").append(row.manager() ? "" : " class=\"total\"").append("><td>")
                    .append(escape(row.name())).append("</td>");
            cells(h, Long.toString(li.worked()), Long.toString(li.newDeals()));
            for (StageEntries s : li.stages()) {
                cells(h, Long.toString(s.entries()));
            }
            cells(h, Long.toString(li.won()), Fmt.money(li.wonRevenue()), Long.toString(li.openAtEnd()));
            for (ExpectedMonth m : li.outlook().months()) {
                cells(h, Fmt.money(m.expectedRevenue()));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<h3>Pipeline gap</h3>\n<p class=\"note\">Each manager's plan for the coming months"
                + " against what the open pipeline is expected to bring by the measured timing; empty early stages"
                + " show here before they show in the won revenue.</p>\n<table class=\"gaps\"><tr><th>Manager</th>"
                + "<th>Month</th><th class=\"n\">Plan</th><th class=\"n\">Expected</th><th class=\"n\">Gap</th>"
                + "<th class=\"n\">Coverage</th><th class=\"n\">Open deals</th><th class=\"n\">In early stages</th></tr>\n");
        for (SalesReport.GapRow g : r.gaps()) {
            PipelineGap p = g.gap();
            h.append("<tr><td>").append(escape(g.name())).append("</td><td>").append(escape(p.period().toString()))
                    .append("</td>");
            cells(h, Fmt.money(p.plan()), Fmt.money(p.projected()), Fmt.money(p.gap()), Fmt.pct(p.coverage()),
                    Long.toString(p.openDeals()), Long.toString(p.earlyStageDeals()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void workloadChart(StringBuilder h, SalesReport r) {
        List<String> labels = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        double avgSum = 0;
        for (Workload w : r.workload()) {
            avgSum += w.averageOpenDeals();
            for (ManagerWorkload m : w.managers()) {
                labels.add(m.name() + " (" + Fmt.cut(w.total().name(), 12) + ")");
                open.add((double) m.openDeals());
                idle.add((double) m.idleDeals());
            }
        }
        Double avg = r.workload().isEmpty() ? null : avgSum / r.workload().size();
        barChart(h, "workload", "Open and idle deals per manager", labels,
                List.of(new Series("Open deals", MEASURED, open), new Series("Idle deals", "#cc4125", idle)), "deals",
                avg, "avg");
    }

    private static void workloadSection(StringBuilder h, SalesReport r) {
        h.append("<h2>Workload</h2>\n");
        if (!r.workload().isEmpty()) {
            Workload first = r.workload().get(0);
            h.append("<p class=\"note\">").append(escape("Open deals as of the report, idle when untouched for more"
                    + " than " + first.idleDays() + " days; entries logged and hours on deals closed in "
                    + first.period() + "; the dashed line is the departments' average open deals per manager."))
                    .append("</p>\n");
        }
        workloadChart(h, r);
        for (Workload w : r.workload()) {
            h.append("<table class=\"workload\" data-node=\"").append(escape(w.node().key())).append("\"><tr><th>")
                    .append(escape(w.total().name())).append("</th><th class=\"n\">Open</th>");
            for (String s : w.stages()) {
                h.append("<th class=\"n\">").append(escape(s)).append("</th>");
            }
            h.append("<th class=\"n\">Idle</th><th class=\"n\">Entries</th><th class=\"n\">Activities</th>")
                    .append("<th class=\"n\">Closed</th><th class=\"n\">Hours on closed</th>")
                    .append("<th class=\"n\">Open vs average</th></tr>\n");
            for (ManagerWorkload m : w.managers()) {
                workloadRow(h, m, false);
            }
            workloadRow(h, w.total(), true);
            h.append("<tr><td>").append(escape("Average / median per manager")).append("</td>");
            cells(h, String.format(Locale.ROOT, "%.1f / %.1f", w.averageOpenDeals(), w.medianOpenDeals()));
            for (int i = 0; i < w.stages().size() + 2; i++) {
                cells(h, "");
            }
            cells(h, String.format(Locale.ROOT, "%.1f / %.1f", w.averageActivities(), w.medianActivities()), "", "",
                    "");
            h.append("</tr>\n</table>\n");
        }
    }

    private static void workloadRow(StringBuilder h, ManagerWorkload m, boolean total) {
        h.append("<tr").append(total ? " class=\"total\"" : "").append("><td>").append(escape(m.name())).append("</td>");
        cells(h, Long.toString(m.openDeals()));
        for (Long v : m.openByStage()) {
            cells(h, Long.toString(v));
        }
        cells(h, Long.toString(m.idleDeals()), Long.toString(m.historyEntries()), Long.toString(m.activities()),
                Long.toString(m.closedInPeriod()), m.hoursOnClosed().stripTrailingZeros().toPlainString()
                        + (m.closedWithoutHours() > 0 ? " (" + m.closedWithoutHours() + " without)" : ""),
                total ? "" : Fmt.pct(m.openDealsToAverage()));
        h.append("</tr>\n");
    }

    private static void largeDealChart(StringBuilder h, SalesReport r) {
        List<String> labels = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (LargeDealReview.OwnerLargeDeals o : r.largeDeals().owners()) {
            labels.add(o.owner().value());
            with.add(o.attainment() == null ? 0 : o.attainment().doubleValue() * 100);
            without.add(o.attainmentWithoutLarge() == null ? 0 : o.attainmentWithoutLarge().doubleValue() * 100);
        }
        barChart(h, "large-deals", "Attainment of the half-year plan with and without the large deals", labels,
                List.of(new Series("With large deals", MEASURED, with),
                        new Series("Without them", CLOSE_DATE, without)), "% of plan", 100.0, "plan");
    }

    private static void largeDealSection(StringBuilder h, SalesReport r) {
        LargeDealReview l = r.largeDeals();
        h.append("<h2>Large deals, ").append(escape(l.period().toString())).append("</h2>\n<p class=\"note\">")
                .append(escape("Deals won in the half-year or open and expected in it whose amount exceeds "
                        + Fmt.pct(l.share()) + " of the owner's half-year plan, and the owner's attainment with and"
                        + " without them.")).append("</p>\n");
        largeDealChart(h, r);
        h.append("<table class=\"large-deals\"><tr><th>Manager</th><th class=\"n\">Plan</th>")
                .append("<th>Large deals</th><th class=\"n\">Actual</th><th class=\"n\">Attainment</th>")
                .append("<th class=\"n\">Without large deals</th><th class=\"n\">Projected</th>")
                .append("<th class=\"n\">Projected without</th></tr>\n");
        for (LargeDealReview.OwnerLargeDeals o : l.owners()) {
            StringBuilder deals = new StringBuilder();
            for (ForecastLine d : o.largeDeals()) {
                if (deals.length() > 0) {
                    deals.append("; ");
                }
                deals.append(d.id().value()).append(' ').append(d.status() == org.crmkit.core.OpportunityStatus.WON
                        ? "won " : "open ").append(Fmt.money(d.amount()));
            }
            h.append("<tr").append(o.largeDeals().isEmpty() ? "" : " class=\"large\"").append("><td>")
                    .append(escape(o.owner().value())).append("</td>");
            cells(h, Fmt.money(o.plan()));
            h.append("<td class=\"large-deal-list\">").append(escape(deals.length() == 0 ? "-" : deals.toString()))
                    .append("</td>");
            cells(h, Fmt.money(o.actual()), Fmt.pct(o.attainment()), Fmt.pct(o.attainmentWithoutLarge()),
                    Fmt.money(o.projected()), Fmt.money(o.projectedWithoutLarge()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void cells(StringBuilder h, String... values) {
        for (String v : values) {
            h.append("<td class=\"n\">").append(escape(v)).append("</td>");
        }
    }

    /** The funnel as stacked trapezoids: each stage narrows from its own count to the next one's. */
    private static void funnel(StringBuilder h, FunnelResult f) {
        List<StageFigures> stages = f.stages();
        int rowHeight = 58;
        int height = rowHeight * (stages.size() + 1) + 10;
        double cx = 420;
        long first = stages.isEmpty() ? 0 : stages.get(0).reached();
        h.append("<svg class=\"funnel\" width=\"1000\" height=\"").append(height).append("\" viewBox=\"0 0 1000 ")
                .append(height).append("\" role=\"img\" aria-label=\"").append(escape("Funnel " + f.scope()))
                .append("\">\n");
        for (int i = 0; i < stages.size(); i++) {
            StageFigures s = stages.get(i);
            long next = i + 1 < stages.size() ? stages.get(i + 1).reached() : f.won();
            double top = width(s.reached(), first);
            double bottom = width(next, first);
            int y = 5 + i * rowHeight;
            int y2 = y + rowHeight - 4;
            h.append("<g class=\"funnel-stage\" data-stage=\"").append(escape(s.code())).append("\" data-reached=\"")
                    .append(s.reached()).append("\">")
                    .append("<title>").append(escape(s.name() + ": " + s.reached() + " reached")).append("</title>")
                    .append(String.format(Locale.ROOT,
                            "<polygon points=\"%.1f,%d %.1f,%d %.1f,%d %.1f,%d\" fill=\"%s\"/>",
                            cx - top / 2, y, cx + top / 2, y, cx + bottom / 2, y2, cx - bottom / 2, y2,
                            STAGE_COLOURS[i % STAGE_COLOURS.length]))
                    .append("<text class=\"stage-label\" x=\"12\" y=\"").append(y + 32).append("\" font-size=\"14\">")
                    .append(escape(s.name())).append("</text>")
                    .append(String.format(Locale.ROOT, "<text class=\"stage-count\" x=\"%.1f\" y=\"%d\" "
                            + "font-size=\"17\" font-weight=\"bold\" fill=\"#fff\" "
                            + "text-anchor=\"middle\">", cx, y + 33)).append(s.reached()).append("</text>")
                    .append("<text class=\"stage-conversion\" x=\"610\" y=\"").append(y + 32)
                    .append("\" font-size=\"13\" fill=\"#444\">")
                    .append(escape("step " + Fmt.pct(s.stepConversion()) + " · cumulative "
                            + Fmt.pct(s.cumulativeConversion()) + " · lost here " + s.dropOff()))
                    .append("</text></g>\n");
        }
        int y = 5 + stages.size() * rowHeight;
        double won = width(f.won(), first);
        h.append("<g class=\"funnel-won\" data-won=\"").append(f.won()).append("\">")
                .append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"#38761d\"/>", cx - won / 2, y, won, rowHeight - 14))
                .append("<text x=\"12\" y=\"").append(y + 28).append("\" font-size=\"14\">Won</text>")
                .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"17\" font-weight=\"bold\" "
                        + "text-anchor=\"middle\" fill=\"#fff\">", cx, y + 29))
                .append(f.won()).append("</text>")
                .append("<text x=\"610\" y=\"").append(y + 28).append("\" font-size=\"13\" fill=\"#444\">")
                .append(escape("win rate " + Fmt.pct(f.winRate()) + " · lost " + f.lost()))
                .append("</text></g>\n</svg>\n");
    }

    private static double width(long count, long first) {
        return first == 0 ? 40 : Math.max(40, FUNNEL_WIDTH * (double) count / first);
    }

    private static void conversionTable(StringBuilder h, FunnelResult f) {
        h.append("<table class=\"conversion\"><tr><th>Stage</th><th class=\"n\">Reached</th>")
                .append("<th class=\"n\">Step conversion</th><th class=\"n\">Cumulative</th>")
                .append("<th class=\"n\">Open now</th><th class=\"n\">Lost here</th></tr>\n");
        for (StageFigures s : f.stages()) {
            h.append("<tr><td>").append(escape(s.name())).append("</td>");
            cells(h, Long.toString(s.reached()), Fmt.pct(s.stepConversion()), Fmt.pct(s.cumulativeConversion()),
                    Long.toString(s.at()), Long.toString(s.dropOff()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void comparisonTable(StringBuilder h, SalesReport.DepartmentFunnel d, String currency) {
        h.append("<table class=\"managers\"><tr><th>Manager</th>");
        for (StageFigures s : d.total().stages()) {
            h.append("<th class=\"n\">").append(escape(Fmt.shortStage(s.name()))).append("</th>");
        }
        h.append("<th class=\"n\">Won</th><th class=\"n\">Lost</th><th class=\"n\">Win rate</th><th class=\"n\">Won ")
                .append(escape(currency)).append("</th><th class=\"n\">Share of won</th></tr>\n");
        comparisonRow(h, d.name(), d.total(), 1.0, true);
        for (SalesReport.ManagerFunnel m : d.managers()) {
            comparisonRow(h, m.name(), m.funnel(), m.shareOfWon(), false);
        }
        h.append("</table>\n");
    }

    private static void comparisonRow(StringBuilder h, String name, FunnelResult f, Double share, boolean total) {
        h.append("<tr").append(total ? " class=\"total\"" : "").append("><td>").append(escape(name)).append("</td>");
        for (StageFigures s : f.stages()) {
            cells(h, Long.toString(s.reached()));
        }
        cells(h, Long.toString(f.won()), Long.toString(f.lost()), Fmt.pct(f.winRate()), Fmt.money(f.wonAmount()),
                Fmt.pct(share));
        h.append("</tr>\n");
    }

    /** New, won and lost deals per month as three lines. */
    private static void dynamicsChart(StringBuilder h, List<SalesReport.MonthRow> months) {
        int left = 50;
        int top = 20;
        int plotW = 720;
        int plotH = 220;
        long max = 1;
        for (SalesReport.MonthRow m : months) {
            max = Math.max(max, Math.max(m.created(), Math.max(m.won(), m.lost())));
        }
        long yMax = ((max + 4) / 5) * 5;
        h.append("<svg class=\"dynamics\" width=\"860\" height=\"300\" viewBox=\"0 0 860 300\" role=\"img\" ")
                .append("aria-label=\"Monthly dynamics\">\n");
        axes(h, left, top, plotW, plotH, yMax, months, "deals");
        String[][] series = {{"New deals", "#2e75b6"}, {"Won", "#38761d"}, {"Lost", "#cc4125"}};
        for (int s = 0; s < series.length; s++) {
            StringBuilder pts = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < months.size(); i++) {
                SalesReport.MonthRow m = months.get(i);
                long v = s == 0 ? m.created() : s == 1 ? m.won() : m.lost();
                double x = left + plotW * (i + 0.5) / months.size();
                double y = top + plotH - plotH * (double) v / yMax;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                        + "<title>%s</title></circle>", x, y, series[s][1],
                        escape(series[s][0] + " " + m.month() + ": " + v)));
            }
            h.append("<g class=\"series\" data-series=\"").append(escape(series[s][0])).append("\">")
                    .append("<polyline fill=\"none\" stroke-width=\"2.5\" stroke=\"").append(series[s][1])
                    .append("\" points=\"").append(pts.toString().trim()).append("\"/>").append(dots).append("</g>\n");
            h.append("<rect x=\"").append(left + plotW + 12).append("\" y=\"").append(top + 10 + s * 22)
                    .append("\" width=\"14\" height=\"4\" fill=\"").append(series[s][1]).append("\"/>")
                    .append("<text x=\"").append(left + plotW + 32).append("\" y=\"").append(top + 16 + s * 22)
                    .append("\" font-size=\"12\">").append(escape(series[s][0])).append("</text>\n");
        }
        h.append("</svg>\n");
    }

    /** Plan and actual revenue per month as paired bars. */
    private static void planChart(StringBuilder h, List<SalesReport.MonthRow> months, String currency) {
        int left = 70;
        int top = 20;
        int plotW = 700;
        int plotH = 220;
        BigDecimal max = BigDecimal.ONE;
        for (SalesReport.MonthRow m : months) {
            if (m.plan() != null) {
                max = max.max(m.plan());
            }
            max = max.max(m.actual());
        }
        long step = 50_000;
        long yMax = (max.longValue() / step + 1) * step;
        h.append("<svg class=\"plan-vs-actual\" width=\"860\" height=\"300\" viewBox=\"0 0 860 300\" role=\"img\" ")
                .append("aria-label=\"Plan vs actual by month\">\n");
        axes(h, left, top, plotW, plotH, yMax, months, currency);
        double slot = (double) plotW / months.size();
        for (int i = 0; i < months.size(); i++) {
            SalesReport.MonthRow m = months.get(i);
            double x = left + slot * i + slot * 0.15;
            double barW = slot * 0.33;
            BigDecimal plan = m.plan() == null ? BigDecimal.ZERO : m.plan();
            bar(h, x, top, plotH, yMax, plan, barW, "#b7b7b7", "Plan " + m.month() + ": " + Fmt.money(plan) + " "
                    + currency);
            bar(h, x + barW + 2, top, plotH, yMax, m.actual(), barW, "#2e75b6", "Actual " + m.month() + ": "
                    + Fmt.money(m.actual()) + " " + currency);
        }
        h.append("<rect x=\"").append(left + plotW + 12).append("\" y=\"").append(top + 8)
                .append("\" width=\"12\" height=\"12\" fill=\"#b7b7b7\"/><text x=\"").append(left + plotW + 30)
                .append("\" y=\"").append(top + 18).append("\" font-size=\"12\">Plan</text>")
                .append("<rect x=\"").append(left + plotW + 12).append("\" y=\"").append(top + 30)
                .append("\" width=\"12\" height=\"12\" fill=\"#2e75b6\"/><text x=\"").append(left + plotW + 30)
                .append("\" y=\"").append(top + 40).append("\" font-size=\"12\">Actual</text>\n</svg>\n");
    }

    private static void bar(StringBuilder h, double x, int top, int plotH, long yMax, BigDecimal value, double w,
            String colour, String label) {
        double hgt = plotH * value.doubleValue() / yMax;
        h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                + "<title>%s</title></rect>\n", x, top + plotH - hgt, w, hgt, colour, escape(label)));
    }

    private static void axes(StringBuilder h, int left, int top, int plotW, int plotH, long yMax,
            List<SalesReport.MonthRow> months, String unit) {
        for (int g = 0; g <= 5; g++) {
            double y = top + plotH - plotH * g / 5.0;
            long v = yMax * g / 5;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
                    left, y, left + plotW, y, left - 6, y + 4, escape(String.format(Locale.ROOT, "%,d", v))));
        }
        h.append("<text x=\"").append(left - 6).append("\" y=\"").append(top - 6)
                .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">").append(escape(unit)).append("</text>\n");
        for (int i = 0; i < months.size(); i++) {
            double x = left + plotW * (i + 0.5) / months.size();
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                    + "fill=\"#555\">%s</text>\n", x, top + plotH + 18, escape(months.get(i).month().toString())));
        }
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
                left, top + plotH, left + plotW, top + plotH));
    }
}
