/**
 * Holds the SQLite versions of the Flyway migration scripts whose SQL SQLite does not take
 * as written for H2 and PostgreSQL (as resources, opened to Flyway); nothing here is API.
 */
package org.crmkit.jdbc.migration.sqlite;
