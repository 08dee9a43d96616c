/** Implementation of the funnel engine: columnar scans, cell tables, figure derivation. Not API. */
package org.crmkit.funnel.internal;
