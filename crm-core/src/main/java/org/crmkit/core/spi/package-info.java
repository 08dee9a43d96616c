/**
 * The repository SPI every crmkit store implements; {@code crm-testkit} holds the contract
 * suite that proves an implementation.
 */
package org.crmkit.core.spi;
