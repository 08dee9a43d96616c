package org.crmkit.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.crmkit.funnel.OpportunityColumns;
import org.junit.jupiter.api.Test;

/**
 * The report's forecast sections computed from a source's per-owner aggregates equal the ones
 * computed from the opportunities themselves (the store's SQL path is held to the same by the
 * examples' {@code ExampleAppTest}).
 */
class ForecastSourceReportTest {
    @Test
    void reportFromColumnAggregatesEqualsReportFromOpportunities() {
        SalesReport.Inputs in = ReportFixture.inputs();
        SalesReport fromColumns = SalesReport.compute(
                in.withForecastSource(OpportunityColumns.of(in.opportunities().stream())));

        assertThat(fromColumns.forecast().nodes()).isNotEmpty();
        assertThat(fromColumns.largeDeals()).isEqualTo(ReportFixture.REPORT.largeDeals());
        assertThat(fromColumns.plans()).isEqualTo(ReportFixture.REPORT.plans());
        assertThat(fromColumns.forecast()).isEqualTo(ReportFixture.REPORT.forecast());
        assertThat(fromColumns).isEqualTo(ReportFixture.REPORT);
    }
}
