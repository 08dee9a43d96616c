package org.crmkit.forecast;

import java.math.BigDecimal;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * One forecast figure in the reporting currency: how many opportunities, their amount and
 * their expected (probability-weighted) value. Both values are exact, unrounded decimals;
 * round only to show them ({@link #presentedAmount(CurrencyUnit)}). For won deals the amount
 * is the actual revenue and the expected value equals it.
 *
 * @param count the number of opportunities
 * @param amount the sum of their amounts, exact
 * @param expected the sum of their expected values, exact
 */
public record Figure(long count, BigDecimal amount, BigDecimal expected) {
    /** No opportunity. */
    public static final Figure ZERO = new Figure(0, BigDecimal.ZERO, BigDecimal.ZERO);

    /**
     * Validates the figure.
     *
     * @throws ValidationException when a value is missing or the count is negative
     */
    public Figure {
        ValidationException.require(count >= 0, "count", count, "a count >= 0");
        ValidationException.requireNonNull(amount, "amount");
        ValidationException.requireNonNull(expected, "expected");
    }

    /**
     * The sum of two figures.
     *
     * @param other the other figure
     * @return the component-wise sum, exact
     */
    public Figure plus(Figure other) {
        return new Figure(org.crmkit.core.AmountOverflowException.add(count, other.count, "opportunity count"),
                amount.add(other.amount), expected.add(other.expected));
    }

    /**
     * The amount as money, exact.
     *
     * @param currency the reporting currency of the result this figure belongs to
     * @return the amount
     */
    public MonetaryAmount amountIn(CurrencyUnit currency) {
        return Amounts.of(amount, currency);
    }

    /**
     * The amount rounded half-even to the currency's minor unit, for display.
     *
     * @param currency the reporting currency of the result this figure belongs to
     * @return the rounded amount
     */
    public MonetaryAmount presentedAmount(CurrencyUnit currency) {
        return Amounts.present(amount, currency);
    }

    /**
     * The expected value rounded half-even to the currency's minor unit, for display.
     *
     * @param currency the reporting currency of the result this figure belongs to
     * @return the rounded expected value
     */
    public MonetaryAmount presentedExpected(CurrencyUnit currency) {
        return Amounts.present(expected, currency);
    }

    @Override
    public String toString() {
        return count + " opp, amount " + amount.toPlainString() + ", expected " + expected.toPlainString();
    }
}
