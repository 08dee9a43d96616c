package org.crmkit.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.jdbc.CrmStore;
import org.crmkit.report.CsvExport;
import org.crmkit.report.HtmlReport;
import org.crmkit.report.SalesReport;

/**
 * The README's example: stores the training-company scenario in an embedded SQLite file
 * database (imported on the first run, reused on later ones), reads it back, and prints
 * what the SDK computes from it: the department funnels with each manager beside the
 * department, win/loss reasons, plan vs actual, next quarter's forecast with P10/P50/P90
 * and what each open deal needs next. It also writes the same report as a self-contained
 * HTML page.
 *
 * <p>Where: the directory in the system property {@value #DIR_PROPERTY} (the Maven build
 * sets {@code examples/target/crmkit-example}), else {@code target/crmkit-example}.
 */
public final class ExampleApp {
    /** The system property naming the directory of the database and the report. */
    public static final String DIR_PROPERTY = "crmkit.example.dir";
    // held strongly: java.util.logging keeps loggers weakly, and a collected one loses its level
    private static final java.util.logging.Logger MONETA_LOG = java.util.logging.Logger.getLogger("org.javamoney");

    private ExampleApp() {
    }

    /**
     * Entry point.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        // Moneta announces its MathContext on java.util.logging at INFO; the tables should stand alone.
        MONETA_LOG.setLevel(java.util.logging.Level.WARNING);
        run(Path.of(System.getProperty(DIR_PROPERTY, "target/crmkit-example")), System.out);
    }

    /**
     * Runs the example.
     *
     * @param dir the directory of the database file and the report
     * @param out where the tables go
     * @return the report that was printed
     */
    public static SalesReport run(Path dir, PrintStream out) {
        Path dbFile = dir.toAbsolutePath().resolve("training.db");
        Path html = dir.toAbsolutePath().resolve("sales-report.html");
        SalesReport report;
        try (CrmStore store = CrmStore.embedded(dbFile)) {
            long stored = store.opportunities().count(OpportunityQuery.all());
            if (stored == 0) {
                Dataset data = TrainingCompany.build(42);
                store.importDataset(data);
                out.println("First run: imported the training-company scenario into " + dbFile + " ("
                        + data.opportunities().size() + " opportunities, " + data.plans().size() + " plans).");
            } else {
                out.println("Reusing the store at " + dbFile + ": " + stored
                        + " opportunities already stored, nothing imported.");
            }
            SalesProcess process = store.processes().get(SalesProcesses.CORPORATE_SALES);
            OrgStructure org = store.orgStructure().load();
            List<SalesPlan> plans = store.plans().findAll();
            List<Opportunity> opportunities;
            try (Stream<Opportunity> s = store.opportunities().stream(OpportunityQuery.all())) {
                opportunities = s.toList();
            }
            // The funnel's and the forecast's per-owner stats are grouped by the store in SQL (it is a FunnelSource
            // and a ForecastSource); the timing model, the leading indicator, workload and the guidance need each
            // deal's history, so they work on the opportunities read back.
            FunnelEngine funnel = FunnelEngine.builder().org(org).source(store).rates(TrainingCompany.rates())
                    .calendar(TrainingCompany.CALENDAR)
                    .clock(Clock.fixed(TrainingCompany.AS_OF, TrainingCompany.CALENDAR.zone())).build();
            report = SalesReport.compute(TrainingCompany.reportInputs(org, process, plans, opportunities)
                    .withFunnel(funnel).withForecastSource(store));
        }
        ConsoleReport.print(report, out, TrainingCompany.CALENDAR.dateOf(TrainingCompany.AS_OF));
        HtmlReport.write(report, TrainingCompany.CALENDAR.dateOf(TrainingCompany.AS_OF), html);
        List<Path> csv = CsvExport.writeAll(report, dir.toAbsolutePath().resolve("csv"));
        out.println();
        out.println("The same report as a page with charts: " + html.toUri());
        out.println("Every section as CSV (" + csv.size() + " files): " + csv.get(0).getParent().toUri());
        return report;
    }
}
