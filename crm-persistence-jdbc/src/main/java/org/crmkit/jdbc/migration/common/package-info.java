/**
 * Holds the Flyway migrations of the JDBC store: the SQL scripts (as resources, opened to
 * Flyway) and the Java migrations; nothing here is API.
 */
package org.crmkit.jdbc.migration.common;
