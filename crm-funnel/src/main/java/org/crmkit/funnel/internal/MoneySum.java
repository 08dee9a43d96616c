package org.crmkit.funnel.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;

/**
 * An exact sum of amounts in several currencies, kept in {@code long} minor units per
 * currency and converted once per currency.
 */
public final class MoneySum {
    private final Map<CurrencyUnit, long[]> sums = new HashMap<>();
    private final int extraScale;

    /**
     * Creates an empty sum.
     *
     * @param extraScale decimal digits beyond the minor unit the added values carry (2 for
     *     amounts multiplied by a percentage)
     */
    public MoneySum(int extraScale) {
        this.extraScale = extraScale;
    }

    /**
     * Adds a value.
     *
     * @param currency its currency
     * @param minor the value in minor units (times {@code 10^extraScale})
     */
    public void add(CurrencyUnit currency, long minor) {
        long[] s = sums.computeIfAbsent(currency, c -> new long[1]);
        s[0] = Math.addExact(s[0], minor);
    }

    /**
     * The exact sum in a target currency.
     *
     * @param converter the converter
     * @param target the target currency
     * @param rateDate the date of the rates
     * @return the exact converted sum
     */
    public BigDecimal in(CurrencyConverter converter, CurrencyUnit target, LocalDate rateDate) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<CurrencyUnit, long[]> e : sums.entrySet()) {
            long v = e.getValue()[0];
            if (v != 0) {
                BigDecimal value = BigDecimal.valueOf(v, Amounts.fractionDigits(e.getKey()) + extraScale);
                total = total.add(converter.convert(value, e.getKey(), target, rateDate));
            }
        }
        return total;
    }
}
