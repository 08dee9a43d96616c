/** crmkit examples (in progress). */
package org.crmkit.examples;
