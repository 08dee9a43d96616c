/** crmkit bench (in progress). */
package org.crmkit.bench;
