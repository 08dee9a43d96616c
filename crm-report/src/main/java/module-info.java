/**
 * crmkit report: a self-contained HTML/SVG sales report computed through the funnel and
 * forecast engines, and a CSV export of every result type of both.
 */
module org.crmkit.report {
    requires transitive org.crmkit.forecast;

    exports org.crmkit.report;
}
