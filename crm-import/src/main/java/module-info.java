/**
 * crmkit import: opportunities, the org structure and plans from rows (CSV files or plain
 * row records) by a declared column mapping, with each opportunity's stage history rebuilt
 * from the dates its row has, and every invalid row reported at once.
 */
module org.crmkit.imports {
    requires transitive org.crmkit.core;
    requires com.fasterxml.jackson.dataformat.csv;

    exports org.crmkit.imports;
}
