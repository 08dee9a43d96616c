package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.crmkit.core.Dataset;
import org.crmkit.funnel.FunnelResult;
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
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(s -> {
            String e = HtmlReport.escape(s);
            assertThat(e).doesNotContain("<", ">", "\"", "'");
            assertThat(e.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&amp;", "&")).isEqualTo(s);
        });
    }

    @Test
    void clientNamesFromTheDataAreEscapedInThePage() {
        Dataset data = TrainingCompany.build(42);
        SalesReport report = SalesReport.compute(SalesReport.trainingCompany(data.orgStructure(),
                data.processes().get(0), data.plans(), data.opportunities()));
        String html = HtmlReport.render(report, TrainingCompany.CALENDAR.dateOf(TrainingCompany.AS_OF));
        assertThat(html).contains("Becker &amp; Söhne KG").doesNotContain("Becker & Söhne");
        FunnelResult corporate = report.department(org.crmkit.core.UnitId.of("corporate")).total();
        assertThat(html.split("class=\"funnel-stage\"", -1)).hasSize(1 + corporate.stages().size()
                + report.department(org.crmkit.core.UnitId.of("public")).total().stages().size());
    }
}
