/**
 * The cell model and the extension point a store implements to feed the funnel engine:
 * {@link org.crmkit.funnel.spi.FunnelCellSource} answers a
 * {@link org.crmkit.funnel.spi.CellQuery} with per-opportunity
 * {@link org.crmkit.funnel.spi.OpportunityFacts} and, optionally pushed down,
 * grouped {@link org.crmkit.funnel.spi.FunnelCells}. Cells form a commutative monoid, so
 * they can be computed anywhere and merged.
 */
package org.crmkit.funnel.spi;
