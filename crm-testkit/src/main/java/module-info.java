/**
 * crmkit testkit: the contract suite every {@code CrmStorage} implementation runs
 * ({@link org.crmkit.testkit.CrmStorageContract}), fixtures, and the seeded dataset
 * generator ({@link org.crmkit.testkit.DatasetGenerator}).
 */
module org.crmkit.testkit {
    requires transitive org.crmkit.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports org.crmkit.testkit;

    // JUnit reflects on the suite's package-private test methods.
    opens org.crmkit.testkit to org.junit.platform.commons;
}
