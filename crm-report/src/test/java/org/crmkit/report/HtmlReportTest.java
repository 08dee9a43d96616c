package org.crmkit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void escapesEveryMarkupCharacter() {
        assertThat(HtmlReport.escape("<script>alert('x') & \"y\"</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
        assertThat(HtmlReport.escape(null)).isEmpty();
    }

    @Test
    void escapedTextHasNoMarkupLeftAndUnescapesToTheOriginal() {
        qt().withFixedSeed(18L).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(s -> {
            String e = HtmlReport.escape(s);
            assertThat(e).doesNotContain("<", ">", "\"", "'");
            assertThat(e.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&amp;", "&")).isEqualTo(s);
        });
    }

    @Test
    void thePageIsSelfContainedAndHasEverySectionAndChart() {
        String html = HtmlReport.render(ReportFixture.REPORT, ReportFixture.GEN.config().asOfDate());
        assertThat(html).doesNotContain("http:", "https:", "<script", "<link", "url(", "@import", "src=", "NaN",
                "Infinity");
        for (String chart : HtmlReport.CHARTS) {
            assertThat(html).as("chart %s", chart).contains("<svg class=\"" + chart + "\"");
        }
        assertThat(html).contains("Measured time to close", "Leading indicator", "Pipeline gap", "Workload",
                "Large deals", "Forecast range");
        assertThat(HtmlReport.charts(ReportFixture.REPORT).keySet()).containsExactlyElementsOf(HtmlReport.CHARTS);
        // names from the data are escaped (the generator has an O'Brien)
        assertThat(html).doesNotContain("O'Brien");
    }
}
