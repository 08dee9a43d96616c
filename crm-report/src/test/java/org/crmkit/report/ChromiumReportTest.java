package org.crmkit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.funnel.FunnelResult;
import org.junit.jupiter.api.Test;

/**
 * Opens the report in headless Chromium: the funnels render with the engine's stage labels and
 * counts, and every chart, screenshotted alone, shows its data marks. The screenshot check is
 * shown to fail on an empty chart and on a broken one.
 */
class ChromiumReportTest {
    /** Legend keys alone are at most 2 × 144 coloured pixels; data marks are thousands. */
    static final long MIN_INK = 1_000;

    private static Path write(String name, String html) throws Exception {
        Path p = Path.of("target", "report-browser", name).toAbsolutePath();
        Files.createDirectories(p.getParent());
        Files.writeString(p, html, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void theFunnelsRenderEveryStageWithTheEnginesLabelsAndCounts() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        SalesReport r = ReportFixture.REPORT;
        Path page = write("sales-report.html", HtmlReport.render(r, ReportFixture.GEN.config().asOfDate()));
        String dom = chromium.dom(page);
        for (SalesReport.DepartmentFunnel d : r.departments()) {
            FunnelResult funnel = d.total();
            int start = dom.indexOf("data-node=\"" + d.node().key() + "\"");
            assertThat(start).as("section of %s", d.node()).isGreaterThanOrEqualTo(0);
            String section = dom.substring(start, dom.indexOf("</section>", start));
            assertThat(HeadlessChromium.renderedStages(section)).as("funnel stages of %s", d.node())
                    .isEqualTo(HeadlessChromium.expectedStages(funnel));
        }
        for (String chart : HtmlReport.CHARTS) {
            assertThat(dom).as("chart %s in the DOM", chart).contains("<svg class=\"" + chart + "\"");
        }
        // every bar of the timing chart carries its value: the company's months, measured and by close date
        Matcher bars = Pattern.compile("<svg class=\"timing\".*?</svg>", Pattern.DOTALL).matcher(dom);
        assertThat(bars.find()).isTrue();
        assertThat(bars.group().split("class=\"bar\"", -1)).hasSize(1 + 2 * r.timing().months().size());
    }

    @Test
    void everyChartScreenshottedAloneShowsItsDataMarks() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        for (Map.Entry<String, String> chart : HtmlReport.charts(ReportFixture.REPORT).entrySet()) {
            Path page = write(chart.getKey() + ".html", HtmlReport.page(chart.getKey(), chart.getValue()));
            BufferedImage png = chromium.screenshot(page, page.resolveSibling(chart.getKey() + ".png"), 1000, 700);
            assertThat(HeadlessChromium.inkPixels(png)).as("coloured pixels of chart %s", chart.getKey())
                    .isGreaterThan(MIN_INK);
        }
        // and the whole page, as before, for people to look at
        Path page = write("sales-report.html", HtmlReport.render(ReportFixture.REPORT,
                ReportFixture.GEN.config().asOfDate()));
        BufferedImage whole = chromium.screenshot(page, Path.of("target", "sales-report.png"), 1280, 2400);
        assertThat(HeadlessChromium.inkPixels(whole)).isGreaterThan(20 * MIN_INK);
    }

    @Test
    void theScreenshotCheckFailsOnAnEmptyOrABrokenChart() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        String good = HtmlReport.charts(ReportFixture.REPORT).get("timing");
        // empty: every bar of height 0 (no data), only the legend keys are coloured
        String empty = good.replaceAll("height=\"[0-9.]+\" fill=\"#(2e75b6|e69138)\"><title>",
                "height=\"0.0\" fill=\"#$1\"><title>");
        // broken: coordinates that are not numbers, as a NaN in the layout would write them
        String broken = good.replaceAll("<rect class=\"bar\"([^>]*) y=\"[0-9.]+\"", "<rect class=\"bar\"$1 y=\"NaN\"")
                .replaceAll("height=\"[0-9.]+\" fill=\"#(2e75b6|e69138)\"><title>", "height=\"NaN\" fill=\"#$1\"><title>");
        assertThat(empty).isNotEqualTo(good);
        assertThat(broken).isNotEqualTo(good);
        for (String[] c : new String[][] {{"empty", empty}, {"broken", broken}, {"missing", ""}}) {
            Path page = write("timing-" + c[0] + ".html", HtmlReport.page(c[0], c[1]));
            BufferedImage png = chromium.screenshot(page, page.resolveSibling("timing-" + c[0] + ".png"), 1000, 700);
            assertThat(HeadlessChromium.inkPixels(png)).as("coloured pixels of the %s chart", c[0])
                    .isLessThanOrEqualTo(MIN_INK);
        }
        Path page = write("timing-good.html", HtmlReport.page("good", good));
        assertThat(HeadlessChromium.inkPixels(chromium.screenshot(page, page.resolveSibling("timing-good.png"), 1000,
                700))).isGreaterThan(MIN_INK);
    }
}
