package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.core.Dataset;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.crmkit.report.SalesReport;
import org.crmkit.report.HeadlessChromium;
import org.crmkit.report.HtmlReport;

/**
 * Opens the HTML report in headless Chromium: the funnel must render with the stage labels
 * and counts of the funnel engine's result, and a screenshot is kept under target/.
 */
class ChromiumReportTest {
    private static SalesReport report;
    private static Path page;

    @BeforeAll
    static void writeReport() {
        Dataset data = TrainingCompany.build(42);
        report = SalesReport.compute(TrainingCompany.reportInputs(data.orgStructure(), data.processes().get(0),
                data.plans(), data.opportunities()));
        page = Path.of("target", "funnel-report.html").toAbsolutePath();
        HtmlReport.write(report, TrainingCompany.CALENDAR.dateOf(TrainingCompany.AS_OF), page);
    }

    @Test
    void funnelRendersEveryStageWithTheEnginesLabelsAndCounts() throws Exception {
        String dom = HeadlessChromium.require().dom(page);
        for (UnitId dept : List.of(UnitId.of("corporate"), UnitId.of("public"))) {
            FunnelResult funnel = report.department(dept).total();
            String section = section(dom, dept.key());
            assertThat(HeadlessChromium.renderedStages(section)).as("funnel stages of %s", dept)
                    .isEqualTo(HeadlessChromium.expectedStages(funnel));
            assertThat(section).contains("data-won=\"" + funnel.won() + "\"");
        }
        // the dynamics chart: one line per series with a point per month
        Matcher series = Pattern.compile("<g class=\"series\" data-series=\"([^\"]+)\">(.*?)</g>").matcher(dom);
        List<String> names = new ArrayList<>();
        while (series.find()) {
            names.add(series.group(1));
            assertThat(series.group(2).split("<circle", -1)).hasSize(1 + report.months().size());
        }
        assertThat(names).containsExactly("New deals", "Won", "Lost");
        // the training company's own questions: the two big deals against the half-year plan,
        // last month's work per manager as a leading indicator, and workload
        String large = between(dom, "<table class=\"large-deals\">", "</table>");
        assertThat(report.largeDeals().owners().stream().flatMap(o -> o.largeDeals().stream())
                .map(l -> l.id().value())).hasSize(2).allSatisfy(id -> assertThat(large).contains(id));
        String leading = between(dom, "<table class=\"leading\">", "</table>");
        for (SalesReport.LeadingRow row : report.leading().rows()) {
            assertThat(leading).contains(HtmlReport.escape(row.name()));
        }
        assertThat(dom).contains("class=\"workload\"", "class=\"timing\"", "class=\"forecast-range\"",
                "class=\"large-deals\"");
    }

    private static String between(String dom, String from, String to) {
        int start = dom.indexOf(from);
        assertThat(start).as("%s in the DOM", from).isGreaterThanOrEqualTo(0);
        return dom.substring(start, dom.indexOf(to, start));
    }

    @Test
    void screenshotOfTheReportIsSavedUnderTargetAndShowsItsCharts() throws Exception {
        Path png = Path.of("target", "funnel-report.png").toAbsolutePath();
        java.awt.image.BufferedImage image = HeadlessChromium.require().screenshot(page, png, 1280, 2000);
        // a blank page has no coloured pixels; the funnels and charts have tens of thousands
        assertThat(HeadlessChromium.inkPixels(image)).isGreaterThan(20_000);
    }

    private static String section(String dom, String nodeKey) {
        int start = dom.indexOf("data-node=\"" + nodeKey + "\"");
        assertThat(start).as("section of %s in the DOM", nodeKey).isGreaterThanOrEqualTo(0);
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }
}
