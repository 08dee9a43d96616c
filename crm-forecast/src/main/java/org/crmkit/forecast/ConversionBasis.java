package org.crmkit.forecast;

import java.time.LocalDate;
import org.crmkit.core.ValidationException;

/**
 * How the figures of a result were converted to the reporting currency; written on every
 * result. A won opportunity converts at the rate of its close date; an open one at the rate
 * of {@code openRateDate}, which is the as-of date or the fixed budget-rate date by policy.
 * Plans convert at the open rate too.
 *
 * @param reportingCurrency the ISO code every figure is in
 * @param openRates the policy for open opportunities and plans
 * @param openRateDate the date of the rate open opportunities and plans convert at
 */
public record ConversionBasis(String reportingCurrency, ForecastConfig.OpenRatePolicy openRates,
        LocalDate openRateDate) {
    /**
     * Validates the basis.
     *
     * @throws ValidationException when a value is missing
     */
    public ConversionBasis {
        ValidationException.requireText(reportingCurrency, "reportingCurrency");
        ValidationException.requireNonNull(openRates, "openRates");
        ValidationException.requireNonNull(openRateDate, "openRateDate");
    }

    @Override
    public String toString() {
        return reportingCurrency + " (won at close-date rates, open at "
                + (openRates == ForecastConfig.OpenRatePolicy.AS_OF_DATE ? "as-of" : "budget") + " rate of "
                + openRateDate + ")";
    }
}
