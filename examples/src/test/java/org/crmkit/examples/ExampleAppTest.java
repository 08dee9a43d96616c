package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crmkit.core.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.crmkit.report.SalesReport;
import org.crmkit.report.HtmlReport;

class ExampleAppTest {
    @TempDir
    Path dir;

    private String runOnce(SalesReport[] result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result[0] = ExampleApp.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void firstRunImportsIntoTheEmbeddedFileAndTheSecondReusesItPrintingEverySection() throws Exception {
        SalesReport[] first = new SalesReport[1];
        SalesReport[] second = new SalesReport[1];
        String out1 = runOnce(first);
        assertThat(dir.resolve("training.db")).exists();
        String out2 = runOnce(second);

        assertThat(out1).contains("First run: imported").doesNotContain("Reusing");
        assertThat(out2).contains("Reusing the store at").doesNotContain("First run");
        assertThat(second[0]).isEqualTo(first[0]);
        assertThat(out2).contains("Funnel of the Corporate sales department", "Step conv.", "Cumulative",
                "Managers beside the Corporate sales department", "Eva Lang", "Win/loss analysis",
                "Chose competitor", "Plan vs actual, last month (2026-10", "Plan vs actual, last quarter",
                "Forecast for the next quarter (FY2027 Q1", "Best case", "P10", "P50", "P90",
                "Funnel completeness", "Monthly dynamics", "What each open deal needs next", "then move to",
                "Leading indicator: the work of 2026-10", "Workload (open deals now", "Large deals of FY2026 H2",
                "opp-0123 420,000", "opp-0124 510,000", "Every section as CSV");

        // The scenario read back from H2 reports exactly as the scenario built in memory.
        Dataset data = TrainingCompany.build(42);
        SalesReport inMemory = SalesReport.compute(TrainingCompany.reportInputs(data.orgStructure(),
                data.processes().get(0), data.plans(), data.opportunities()));
        assertThat(first[0]).isEqualTo(inMemory);

        String html = Files.readString(dir.resolve("sales-report.html"));
        assertThat(html).contains("<svg", "funnel-stage").doesNotContain("http:", "https:", "<script", "<link",
                "url(", "@import", "src=");
    }
}
