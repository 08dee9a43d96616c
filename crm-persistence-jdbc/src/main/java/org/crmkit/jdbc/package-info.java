/** crmkit jdbc (in progress). */
package org.crmkit.jdbc;
