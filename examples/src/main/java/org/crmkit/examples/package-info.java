/**
 * Runnable crmkit scenarios: the training company's year of sales ({@link
 * org.crmkit.examples.TrainingCompany}), the README's example ({@link
 * org.crmkit.examples.ExampleApp}: embedded SQLite store, console tables, HTML report) and the README
 * snippet ({@link org.crmkit.examples.QuickStart}).
 */
package org.crmkit.examples;
