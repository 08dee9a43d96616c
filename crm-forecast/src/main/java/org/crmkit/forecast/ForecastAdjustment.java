package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.Instant;
import javax.money.MonetaryAmount;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * A manager's judgement on a computed figure: who set which figure of which node and period
 * to what value, when and why. Adjustments are kept beside the computed figure and never
 * overwrite it; the latest adjustment (by {@code at}) is the adjusted value.
 *
 * @param node the org node whose figure is adjusted
 * @param period the period
 * @param figure which figure
 * @param currency the ISO code of the value; must be the reporting currency of the forecast
 * @param value the adjusted value, exact, not negative
 * @param by the manager who adjusted
 * @param at when
 * @param reason why, non-blank
 */
public record ForecastAdjustment(OrgNodeId node, Period period, ForecastFigure figure, String currency,
        BigDecimal value, ManagerId by, Instant at, String reason) {
    /**
     * Validates the adjustment.
     *
     * @throws ValidationException when a value is missing, the value is negative or the reason blank
     */
    public ForecastAdjustment {
        ValidationException.requireNonNull(node, "adjustment.node");
        ValidationException.requireNonNull(period, "adjustment.period");
        ValidationException.requireNonNull(figure, "adjustment.figure");
        ValidationException.requireText(currency, "adjustment.currency");
        ValidationException.requireNonNull(value, "adjustment.value");
        ValidationException.require(value.signum() >= 0, "adjustment.value", value, "a value >= 0");
        ValidationException.requireNonNull(by, "adjustment.by");
        ValidationException.requireNonNull(at, "adjustment.at");
        ValidationException.requireText(reason, "adjustment.reason");
    }

    /**
     * Creates an adjustment from money.
     *
     * @param node the org node
     * @param period the period
     * @param figure which figure
     * @param value the adjusted value in the reporting currency
     * @param by who
     * @param at when
     * @param reason why
     * @return the adjustment
     */
    public static ForecastAdjustment of(OrgNodeId node, Period period, ForecastFigure figure, MonetaryAmount value,
            ManagerId by, Instant at, String reason) {
        ValidationException.requireNonNull(value, "adjustment.value");
        return new ForecastAdjustment(node, period, figure, value.getCurrency().getCurrencyCode(),
                Amounts.decimal(value), by, at, reason);
    }

    /**
     * The adjusted value as money.
     *
     * @return the value
     */
    public MonetaryAmount amount() {
        return Amounts.of(value, Amounts.currency(currency));
    }

    @Override
    public String toString() {
        return figure + " of " + node.key() + " " + period + " := " + value.toPlainString() + " " + currency + " by "
                + by + " at " + at + " (" + reason + ")";
    }
}
