package org.crmkit.funnel;

import java.math.BigDecimal;
import org.crmkit.core.ValidationException;

/**
 * Closed opportunities grouped by one value (a reason, a competitor or a stage).
 *
 * @param key the value; {@code "(none)"} when it was not recorded
 * @param won the won ones
 * @param lost the lost ones
 * @param wonAmount the actual revenue of the won ones, in the reporting currency
 * @param lostAmount the amount of the lost ones, in the reporting currency
 * @param winRate {@code won / (won + lost)}, null when both are 0
 */
public record WinLossRow(String key, long won, long lost, BigDecimal wonAmount, BigDecimal lostAmount, Double winRate) {
    /** The key of the group of closed opportunities without a recorded value. */
    public static final String NONE = "(none)";

    /**
     * Validates the row.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public WinLossRow {
        ValidationException.requireText(key, "key");
        ValidationException.require(won >= 0 && lost >= 0, "won", won, "counts >= 0");
        ValidationException.requireNonNull(wonAmount, "wonAmount");
        ValidationException.requireNonNull(lostAmount, "lostAmount");
    }
}
