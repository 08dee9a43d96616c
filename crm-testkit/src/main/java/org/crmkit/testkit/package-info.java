/**
 * Tools for testing with crmkit: {@link org.crmkit.testkit.CrmStorageContract}, the contract
 * suite a store implementation extends to prove it behaves like every other crmkit store;
 * {@link org.crmkit.testkit.Fixtures}, ready-made valid opportunities (minimal and fully
 * populated); and {@link org.crmkit.testkit.DatasetGenerator}, a seeded, lazy generator of
 * realistic datasets for tests and benchmarks.
 */
package org.crmkit.testkit;
