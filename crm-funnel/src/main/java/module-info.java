/**
 * crmkit funnel: funnel, conversion, velocity, win/loss and coverage reports over any org
 * hierarchy, computed from mergeable aggregate cells. {@code org.crmkit.funnel.spi} is what a
 * store implements to answer cell queries (e.g. with SQL {@code GROUP BY}).
 */
module org.crmkit.funnel {
    requires transitive org.crmkit.core;

    exports org.crmkit.funnel;
    exports org.crmkit.funnel.spi;

    // results are records that Jackson writes as JSON
    opens org.crmkit.funnel to com.fasterxml.jackson.databind;
}
