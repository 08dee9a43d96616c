/**
 * Holds the Flyway migration scripts of the JDBC store (as resources, opened to Flyway);
 * nothing here is API.
 */
package org.crmkit.jdbc.migration.common;
