/**
 * Implementation details of the forecast (distribution algorithms); not API, not exported.
 */
package org.crmkit.forecast.internal;
