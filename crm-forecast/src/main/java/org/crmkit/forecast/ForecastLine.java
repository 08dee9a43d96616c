package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * How one opportunity enters a forecast: its period, category, probability and values in
 * the reporting currency (exact). Lost opportunities have no line: they count nowhere.
 *
 * @param id the opportunity
 * @param owner its owner
 * @param status OPEN or WON
 * @param period the period it is bucketed in
 * @param overdue whether it is open with an expected close date before the as-of date
 * @param category its forecast category (CLOSED for won)
 * @param categorySetByHand whether the category was set on the opportunity rather than by thresholds
 * @param probabilityBasisPoints the probability from the model (10000 for won), basis points
 * @param valueBasis what its value is taken from
 * @param currency the opportunity currency (ISO code)
 * @param originalValue the value in the opportunity currency, exact
 * @param rateDate the date of the exchange rate it converts at
 * @param amount the value in the reporting currency, exact
 * @param expected amount × probability in the reporting currency, exact
 */
public record ForecastLine(OpportunityId id, ManagerId owner, OpportunityStatus status, Period period,
        boolean overdue, ForecastCategory category, boolean categorySetByHand, int probabilityBasisPoints,
        ValueBasis valueBasis, String currency, BigDecimal originalValue, LocalDate rateDate, BigDecimal amount,
        BigDecimal expected) {

    /** What the value of a line is taken from. */
    public enum ValueBasis {
        /** The expected deal value of an open opportunity. */
        AMOUNT,
        /** The client's budget, for an open opportunity without an amount (by policy). */
        BUDGET,
        /** Nothing known: the opportunity counts with the value 0. */
        NONE,
        /** The actual revenue of a won opportunity. */
        ACTUAL_REVENUE
    }

    /**
     * Validates the line.
     *
     * @throws ValidationException when a value is missing or the status is LOST
     */
    public ForecastLine {
        ValidationException.requireNonNull(id, "id");
        ValidationException.requireNonNull(owner, "owner");
        ValidationException.requireNonNull(status, "status");
        ValidationException.require(status != OpportunityStatus.LOST, "status", status, "OPEN or WON");
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireNonNull(category, "category");
        ValidationException.require(probabilityBasisPoints >= 0 && probabilityBasisPoints <= 10_000,
                "probabilityBasisPoints", probabilityBasisPoints, "0..10000");
        ValidationException.requireNonNull(valueBasis, "valueBasis");
        ValidationException.requireText(currency, "currency");
        ValidationException.requireNonNull(originalValue, "originalValue");
        ValidationException.requireNonNull(rateDate, "rateDate");
        ValidationException.requireNonNull(amount, "amount");
        ValidationException.requireNonNull(expected, "expected");
    }

    /**
     * Whether the line counts in the weighted open forecast (open and not omitted).
     *
     * @return true for open lines in COMMIT, BEST_CASE or PIPELINE
     */
    public boolean countsInWeightedOpen() {
        return status == OpportunityStatus.OPEN && category != ForecastCategory.OMITTED;
    }

    @Override
    public String toString() {
        return id + " [" + owner + ", " + period + (overdue ? " (overdue)" : "") + ", " + category
                + (categorySetByHand ? " by hand" : "") + ", " + BigDecimal.valueOf(probabilityBasisPoints, 2)
                + "%, amount " + amount.toPlainString() + ", expected " + expected.toPlainString() + "]";
    }
}
