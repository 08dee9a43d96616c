/** A thread-safe in-memory implementation of the repository SPI. */
package org.crmkit.core.memory;
