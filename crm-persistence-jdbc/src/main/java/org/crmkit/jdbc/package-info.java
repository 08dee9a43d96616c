/**
 * The JDBC store of crmkit: {@link org.crmkit.jdbc.CrmStore} implements every repository of
 * {@code org.crmkit.core.spi} on H2 (embedded default) or PostgreSQL, with the schema managed
 * by Flyway migrations shipped in the jar and the database differences held in
 * {@link org.crmkit.jdbc.Dialect}.
 */
package org.crmkit.jdbc;
