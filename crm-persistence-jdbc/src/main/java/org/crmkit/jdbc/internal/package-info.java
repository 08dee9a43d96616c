/**
 * Implementation of the JDBC store: SQL for each repository, row mapping, transactions and
 * bulk loading. Not API: nothing here is exported and any of it may change.
 */
package org.crmkit.jdbc.internal;
