/**
 * crmkit testkit: the contract suites every {@code CrmStorage} implementation
 * ({@link org.crmkit.testkit.CrmStorageContract}) and every funnel source
 * ({@link org.crmkit.testkit.FunnelSourceContract}) runs, fixtures, and the seeded dataset
 * generator ({@link org.crmkit.testkit.DatasetGenerator}).
 */
module org.crmkit.testkit {
    requires transitive org.crmkit.core;
    requires transitive org.crmkit.funnel;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    // no module name of its own: the automatic name of its jar (random queries of the source kit)
    requires quicktheories;

    exports org.crmkit.testkit;

    // JUnit reflects on the suite's package-private test methods.
    opens org.crmkit.testkit to org.junit.platform.commons;
}
