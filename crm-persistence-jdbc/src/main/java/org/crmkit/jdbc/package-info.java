/**
 * The JDBC store of crmkit: {@link org.crmkit.jdbc.CrmStore} implements every repository of
 * {@code org.crmkit.core.spi} on SQLite (the crash-safe embedded default), H2 or PostgreSQL, with the schema managed
 * by Flyway migrations shipped in the jar and the database differences held in
 * {@link org.crmkit.jdbc.Dialect}. It also answers the funnel engine's cell queries in SQL
 * ({@code org.crmkit.funnel.spi.FunnelSource}), grouped per owner in SQL.
 *
 * <pre>{@code
 * try (CrmStore store = CrmStore.embedded(Path.of("data/crm.db"))) {    // SQLite file
 *     store.processes().save(SalesProcesses.corporateSales());
 *     store.opportunities().insert(opportunity);
 * }
 * CrmStore pg = CrmStore.builder().dataSource(pooledDataSource).build(); // dialect detected
 * FunnelEngine engine = FunnelEngine.builder().org(org).source(pg).build();
 * }</pre>
 */
package org.crmkit.jdbc;
