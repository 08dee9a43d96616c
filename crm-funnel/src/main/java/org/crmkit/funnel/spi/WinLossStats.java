package org.crmkit.funnel.spi;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.money.CurrencyUnit;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ValidationException;

/**
 * The closed opportunities of one win/loss key (a reason, or a winning competitor) within a
 * {@link FunnelStats}: how many were won and lost, and their exact money per currency in minor
 * units. Zero sums are not kept, so equal contents compare equal however they were summed.
 *
 * @param won the number won
 * @param lost the number lost
 * @param wonRevenueMinor the revenue of the won ones, per currency, in minor units
 * @param lostAmountMinor the amount of the lost ones, per currency, in minor units
 */
public record WinLossStats(long won, long lost, Map<CurrencyUnit, Long> wonRevenueMinor,
        Map<CurrencyUnit, Long> lostAmountMinor) {
    /**
     * Validates the stats and copies the maps without their zero entries.
     *
     * @throws ValidationException when a count or a sum is negative
     */
    public WinLossStats {
        ValidationException.require(won >= 0, "winLoss.won", won, "a count >= 0");
        ValidationException.require(lost >= 0, "winLoss.lost", lost, "a count >= 0");
        wonRevenueMinor = canonical(wonRevenueMinor, "winLoss.wonRevenueMinor");
        lostAmountMinor = canonical(lostAmountMinor, "winLoss.lostAmountMinor");
    }

    private static Map<CurrencyUnit, Long> canonical(Map<CurrencyUnit, Long> sums, String field) {
        ValidationException.requireNonNull(sums, field);
        Map<CurrencyUnit, Long> out = new HashMap<>();
        sums.forEach((c, v) -> {
            Objects.requireNonNull(c, field + ".currency");
            ValidationException.require(v != null && v >= 0, field, v, "a sum >= 0 for " + c);
            if (v != 0) {
                out.put(c, v);
            }
        });
        return Map.copyOf(out);
    }

    /**
     * The sum of two stats.
     *
     * @param other the other stats
     * @return the sum
     * @throws AmountOverflowException when a sum leaves the range of a {@code long}
     */
    public WinLossStats plus(WinLossStats other) {
        return combine(other, 1);
    }

    /**
     * These stats without a part of them.
     *
     * @param other stats that were added to these
     * @return the difference
     * @throws ValidationException when {@code other} is not a part of these stats
     */
    public WinLossStats minus(WinLossStats other) {
        return combine(other, -1);
    }

    private WinLossStats combine(WinLossStats other, int sign) {
        Objects.requireNonNull(other, "other");
        return new WinLossStats(won + sign * other.won, lost + sign * other.lost,
                sum(wonRevenueMinor, other.wonRevenueMinor, sign, "won revenue"),
                sum(lostAmountMinor, other.lostAmountMinor, sign, "lost amount"));
    }

    private static Map<CurrencyUnit, Long> sum(Map<CurrencyUnit, Long> a, Map<CurrencyUnit, Long> b, int sign,
            String figure) {
        Map<CurrencyUnit, Long> out = new HashMap<>(a);
        b.forEach((c, v) -> out.merge(c, sign * v,
                (x, y) -> AmountOverflowException.add(x, y, figure, c.getCurrencyCode())));
        return out;
    }

    /**
     * Whether nothing is counted.
     *
     * @return true when no opportunity is counted
     */
    public boolean isEmpty() {
        return won == 0 && lost == 0 && wonRevenueMinor.isEmpty() && lostAmountMinor.isEmpty();
    }
}
