/** crmkit forecast (in progress). */
package org.crmkit.forecast;
