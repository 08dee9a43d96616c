package org.crmkit.funnel.spi;

import java.time.LocalDate;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ValidationException;

/**
 * One opportunity as a forecast sees it, for drill-down (forecast lines, large deals, the exact
 * distribution of a small node): its id, owner, {@link ForecastCell} and value. A source answers
 * these from its columns, without building the opportunity.
 *
 * @param id the opportunity id
 * @param owner its owner
 * @param cell its cell
 * @param value its value in minor units of the cell currency
 * @param closeDate a won opportunity's close date, null when open
 */
public record ForecastDeal(OpportunityId id, ManagerId owner, ForecastCell cell, long value, LocalDate closeDate) {
    /**
     * Validates the deal.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public ForecastDeal {
        ValidationException.requireNonNull(id, "forecastDeal.id");
        ValidationException.requireNonNull(owner, "forecastDeal.owner");
        ValidationException.requireNonNull(cell, "forecastDeal.cell");
        ValidationException.require(cell.isOpen() == (closeDate == null), "forecastDeal.closeDate(" + id.value() + ")",
                closeDate, "a close date exactly when won");
        ValidationException.require(value >= 0, "forecastDeal.value(" + id.value() + ")", value, "minor units >= 0");
    }
}
