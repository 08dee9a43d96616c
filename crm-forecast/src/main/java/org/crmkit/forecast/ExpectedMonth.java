package org.crmkit.forecast;

import java.math.BigDecimal;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * What the measured timing model expects the open deals of a node to bring in one month.
 *
 * @param month the month (the first one starts at the as-of date)
 * @param expectedWins the expected number of deals won in the month, exact sum of per-deal probabilities
 * @param expectedRevenue the expected revenue of those wins in the reporting currency, exact
 */
public record ExpectedMonth(Period month, BigDecimal expectedWins, BigDecimal expectedRevenue) {
    /**
     * Validates.
     *
     * @throws ValidationException when a value is missing
     */
    public ExpectedMonth {
        ValidationException.requireNonNull(month, "month");
        ValidationException.requireNonNull(expectedWins, "expectedWins");
        ValidationException.requireNonNull(expectedRevenue, "expectedRevenue");
    }
}
