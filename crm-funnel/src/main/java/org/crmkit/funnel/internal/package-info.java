/** Implementation of the funnel engine: the columnar store and its scans, result derivation. Not API. */
package org.crmkit.funnel.internal;
