/**
 * crmkit funnel: funnel, conversion, velocity, win/loss and coverage reports over any org
 * hierarchy, rolled up from mergeable per-owner aggregates. {@code org.crmkit.funnel.spi} is what
 * a store implements to answer aggregate queries (e.g. grouped in SQL).
 */
module org.crmkit.funnel {
    requires transitive org.crmkit.core;

    exports org.crmkit.funnel;
    exports org.crmkit.funnel.spi;

    // results are records that Jackson writes as JSON
    opens org.crmkit.funnel to com.fasterxml.jackson.databind;
}
