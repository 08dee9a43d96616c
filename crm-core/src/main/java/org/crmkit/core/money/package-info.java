/**
 * Exact money helpers: conversions between {@code MonetaryAmount}, {@code BigDecimal} and
 * {@code long} minor units for hot paths, dated currency conversion through a caller-supplied
 * {@code ExchangeRateProvider}, and an in-memory dated rate table.
 */
package org.crmkit.core.money;
