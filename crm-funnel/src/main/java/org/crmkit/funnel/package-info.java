/** crmkit funnel (in progress). */
package org.crmkit.funnel;
