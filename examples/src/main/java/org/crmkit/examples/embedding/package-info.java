/**
 * Embedding example: crmkit on the application's own PostgreSQL data source and its own
 * exchange-rate provider, reporting in the application's currency.
 */
package org.crmkit.examples.embedding;
