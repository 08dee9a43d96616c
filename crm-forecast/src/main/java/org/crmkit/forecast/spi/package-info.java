/**
 * Extension points of the forecast: {@link org.crmkit.forecast.spi.ProbabilityModel} decides
 * the win probability the expected value of an open opportunity is weighted with. Built-in
 * models are in {@link org.crmkit.forecast.ProbabilityModels} and
 * {@link org.crmkit.forecast.HistoricalWinRateModel}.
 */
package org.crmkit.forecast.spi;
