package org.crmkit.core;

import java.math.BigDecimal;
import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;

/**
 * A product line of an opportunity. The total is derived exactly:
 * {@code quantity × unitPrice × (1 − discountPercent / 100)}, not rounded.
 *
 * @param product the product code or name
 * @param quantity how many units, positive
 * @param unitPrice the list price of one unit, not negative
 * @param discountPercent the discount in percent, 0–100
 */
public record ProductLine(String product, BigDecimal quantity, MonetaryAmount unitPrice, BigDecimal discountPercent) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * Validates the line.
     *
     * @throws ValidationException when a value is missing, the quantity is not positive, the
     *     price is negative or the discount is outside 0–100
     */
    public ProductLine {
        StoreLimits.requireNonBlank(product, "productLine.product");
        ValidationException.requireNonNull(quantity, "productLine.quantity");
        ValidationException.require(quantity.signum() > 0, "productLine.quantity", quantity, "a quantity > 0");
        StoreLimits.requireDecimal(quantity, "productLine.quantity");
        ValidationException.requireNonNull(unitPrice, "productLine.unitPrice");
        ValidationException.require(!unitPrice.isNegative(), "productLine.unitPrice", unitPrice, "a price >= 0");
        StoreLimits.requireDecimal(Amounts.decimal(unitPrice), "productLine.unitPrice");
        discountPercent = discountPercent == null ? BigDecimal.ZERO : discountPercent;
        StoreLimits.requireDecimal(discountPercent, "productLine.discountPercent");
        ValidationException.require(discountPercent.signum() >= 0 && discountPercent.compareTo(HUNDRED) <= 0,
                "productLine.discountPercent", discountPercent, "between 0 and 100");
    }

    /**
     * The exact line total after discount.
     *
     * @return the total in the unit price's currency
     */
    public MonetaryAmount total() {
        BigDecimal gross = Amounts.decimal(unitPrice).multiply(quantity);
        BigDecimal net = gross.multiply(HUNDRED.subtract(discountPercent)).divide(HUNDRED);
        return Amounts.of(net, unitPrice.getCurrency());
    }
}
