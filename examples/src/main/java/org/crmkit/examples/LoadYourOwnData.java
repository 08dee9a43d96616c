package org.crmkit.examples;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.imports.CsvRows;
import org.crmkit.imports.ImportReport;
import org.crmkit.imports.OpportunityMapping;
import org.crmkit.imports.OrgMapping;
import org.crmkit.jdbc.CrmStore;

/**
 * The README's "Load your own data": a CRM export (deals, and the team list saying which rep
 * is in which team and office) read through the row import, stored in an embedded store in
 * one batch, and the company's funnel as of now. The code between the snippet markers is the
 * README's snippet word for word (a test compares them).
 */
public final class LoadYourOwnData {
    private LoadYourOwnData() {
    }

    /**
     * Loads the CSV files of a directory (by default the example's own) and prints what the
     * import assumed and the company funnel.
     *
     * @param args the directory of {@code sales_pipeline.csv} and {@code sales_teams.csv}, and
     *     the directory of the embedded store; both optional
     */
    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : exampleData();
        Path storeDir = args.length > 1 ? Path.of(args[1]) : Path.of("examples", "target", "crmkit-example");
        System.out.println(load(dir, fresh(storeDir)));
    }

    /** The example imports into a new store on every run: an old one from an earlier run is removed. */
    static Path fresh(Path storeDir) {
        try {
            java.nio.file.Files.createDirectories(storeDir);
            for (String suffix : List.of("", "-wal", "-shm")) {
                java.nio.file.Files.deleteIfExists(storeDir.resolve("your-own-data.db" + suffix));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return storeDir;
    }

    static Path exampleData() {
        try {
            return Path.of(LoadYourOwnData.class.getResource("/load-your-own-data/sales_pipeline.csv").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static FunnelResult load(Path dir, Path storeDir) {
        // snippet:start
        SalesProcess pipeline = SalesProcess.of(ProcessId.of("pipeline"), "Pipeline", ProcessMode.FREE,
                List.of(Stage.open("PROSPECTING", "Prospecting", 10), Stage.open("ENGAGING", "Engaging", 40)));
        UnitId company = UnitId.of("company");
        OrgStructure org = OrgMapping.builder().manager("sales_agent")
                .unit("manager", UnitKind.GROUP).unit("regional_office", UnitKind.of("OFFICE"))
                .root(company, "Company", UnitKind.COMPANY).build()
                .read(CsvRows.read(dir.resolve("sales_teams.csv"))).requireAllValid();
        ImportReport<List<Opportunity>> deals = OpportunityMapping.builder(pipeline).source("sales_pipeline.csv")
                .id("opportunity_id").owner("sales_agent").client("account").stage("deal_stage")
                .stageEnteredAt("ENGAGING", "engage_date").closeDate("close_date")
                .amount("amount").revenue("close_value").currency("USD")
                .asOf(Instant.parse("2017-04-01T00:00:00Z")).build()
                .read(CsvRows.read(dir.resolve("sales_pipeline.csv")));
        deals.notes().forEach(note -> System.out.println("note: " + note));

        try (CrmStore store = CrmStore.embedded(storeDir.resolve("your-own-data.db"))) {
            store.processes().save(pipeline);
            store.orgStructure().save(org);
            // every invalid row at once, each with its line, id, column and value; or all stored
            store.opportunities().insertAll(deals.requireAllValid());
            FunnelEngine funnel = FunnelEngine.builder().org(org).source(store).build();
            return funnel.funnel(FunnelQuery.builder(pipeline).nodes(company).build());
        }
        // snippet:end
    }
}
