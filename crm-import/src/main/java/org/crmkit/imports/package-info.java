/**
 * Row import: {@link org.crmkit.imports.CsvRows} reads a CSV file into {@link org.crmkit.imports.Row}s
 * (any other tabular source can build rows itself); {@link org.crmkit.imports.OpportunityMapping},
 * {@link org.crmkit.imports.OrgMapping} and {@link org.crmkit.imports.PlanMapping} declare which
 * column holds what and turn rows into opportunities, an org structure and plans. Each returns
 * an {@link org.crmkit.imports.ImportReport}: the result, every rejected row with every
 * failure found in it (column, value, expectation, opportunity id), and notes on every rule
 * that filled in a value the rows did not have.
 */
package org.crmkit.imports;
