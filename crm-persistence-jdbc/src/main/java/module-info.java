/**
 * crmkit JDBC store: the crm-core repositories on SQLite, H2 or PostgreSQL, Flyway migrations and
 * pushed-down aggregates.
 */
module org.crmkit.jdbc {
    requires transitive org.crmkit.core;
    requires transitive java.sql;
    requires transitive org.crmkit.funnel;
    // flyway-core has no module name of its own; this is the automatic name of its jar
    requires flyway.core;
    requires com.h2database;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;
    requires static org.postgresql.jdbc;

    exports org.crmkit.jdbc;
    // Flyway instantiates the store's log creator (FlywayLog) by class name
    exports org.crmkit.jdbc.internal to flyway.core;

    // the migration scripts are read by Flyway through the class loader
    opens org.crmkit.jdbc.migration.common;
    opens org.crmkit.jdbc.migration.server;
    opens org.crmkit.jdbc.migration.sqlite;
}
