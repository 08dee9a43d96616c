/** crmkit testkit (in progress). */
package org.crmkit.testkit;
