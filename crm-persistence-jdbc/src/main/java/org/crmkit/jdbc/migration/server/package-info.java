/**
 * Holds the Flyway migration scripts that H2 and PostgreSQL share beyond the common ones
 * (as resources, opened to Flyway); nothing here is API.
 */
package org.crmkit.jdbc.migration.server;
