package org.crmkit.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.crmkit.forecast.Figure;
import org.crmkit.forecast.RevenueDistribution;
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
 * {@code data-reached} attributes, so tools (and the tests) can find them in the DOM.
 */
public final class HtmlReport {
    private static final String[] STAGE_COLOURS = {"#1f4e79", "#245f94", "#2a6fad", "#3380c2", "#4a90c8"};
    private static final int FUNNEL_WIDTH = 340;

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
        for (String category : ConsoleReport.CATEGORIES) {
            h.append("<tr><td>").append(escape(category)).append("</td>");
            for (SalesReport.NodeOutlook n : fs.nodes()) {
                Figure f = ConsoleReport.figure(n.forecast(), category);
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
