package org.crmkit.core;

import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;

/**
 * A sales plan: the target revenue of an org node (a manager or a unit) for a period.
 * Plans are keyed by (node, period start, period end); storing a plan for the same key
 * replaces the previous one.
 *
 * @param node the manager or unit the target is for
 * @param period the period
 * @param target the target revenue, not negative, exact at its currency's minor unit
 */
public record SalesPlan(OrgNodeId node, Period period, MonetaryAmount target) {
    /**
     * Validates the plan.
     *
     * @throws ValidationException when a value is missing or the target is negative
     */
    public SalesPlan {
        ValidationException.requireNonNull(node, "plan.node");
        ValidationException.requireNonNull(period, "plan.period");
        StoreLimits.requireDate(period.start(), "plan.period.start");
        StoreLimits.requireDate(period.lastDay(), "plan.period.end");
        ValidationException.requireNonNull(target, "plan.target");
        StoreLimits.requireCurrency(target.getCurrency(), "plan.target.currency");
        Amounts.requireValid(target, target.getCurrency(), "plan.target");
    }
}
