package org.crmkit.forecast;

import java.math.BigDecimal;
import java.util.List;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * Plan vs actual vs forecast of a node for a period, in the reporting currency. Amounts are
 * exact; ratios are rounded to 16 significant digits ({@link java.math.MathContext#DECIMAL64}),
 * as they are for display.
 *
 * <ul>
 *   <li>{@code attainment} = actual / plan;</li>
 *   <li>{@code projected} = actual + weighted open; {@code projectedAttainment} = projected / plan;</li>
 *   <li>{@code remaining} = plan − actual (what is still to close); {@code gap} = plan − projected
 *       (negative when the projection exceeds the plan);</li>
 *   <li>{@code coverage} = weighted open / remaining, {@code unweightedCoverage} = open pipeline
 *       amount / remaining, both null when nothing remains to close;</li>
 *   <li>a large deal is an open deal whose amount is above {@code largeDealThreshold} = plan ×
 *       share; the forecast is given with and without them.</li>
 * </ul>
 * Plan-based fields are null when the node has no plan for the period.
 *
 * @param node the node
 * @param period the period
 * @param conversion how figures were converted (plans convert at the open rate)
 * @param plan the plan, null when none
 * @param planSource where the plan comes from
 * @param forecast the node's forecast of the period
 * @param actual the won revenue
 * @param weightedOpen the expected value of the open pipeline
 * @param projected actual + weighted open
 * @param attainment actual / plan, or null
 * @param projectedAttainment projected / plan, or null
 * @param remaining plan − actual, or null
 * @param gap plan − projected, or null
 * @param coverage weighted open / remaining, or null
 * @param unweightedCoverage open pipeline amount / remaining, or null
 * @param largeDealThreshold plan × large-deal share, or null
 * @param largeDeals the open deals above the threshold, largest first
 * @param weightedOpenWithoutLargeDeals weighted open without the large deals
 * @param projectedWithoutLargeDeals actual + weighted open without the large deals
 */
public record PlanVsActual(OrgNodeId node, Period period, ConversionBasis conversion, BigDecimal plan,
        PlanSource planSource, PeriodForecast forecast, BigDecimal actual, BigDecimal weightedOpen,
        BigDecimal projected, BigDecimal attainment, BigDecimal projectedAttainment, BigDecimal remaining,
        BigDecimal gap, BigDecimal coverage, BigDecimal unweightedCoverage, BigDecimal largeDealThreshold,
        List<ForecastLine> largeDeals, BigDecimal weightedOpenWithoutLargeDeals,
        BigDecimal projectedWithoutLargeDeals) {

    /** Where the plan of a node comes from. */
    public enum PlanSource {
        /** Set for the node and period. */
        SET,
        /**
         * Derived from the plans below the node: each distinct plan holder once, however many
         * paths lead to it ({@link ForecastConfig.ParentPlanPolicy}).
         */
        SUM_OF_CHILDREN,
        /** No plan. */
        NONE
    }

    /**
     * Validates and copies.
     *
     * @throws ValidationException when a required value is missing or the plan disagrees with its source
     */
    public PlanVsActual {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireNonNull(conversion, "conversion");
        ValidationException.requireNonNull(planSource, "planSource");
        ValidationException.require((plan == null) == (planSource == PlanSource.NONE), "plan", plan,
                "a plan exactly when the plan source is not NONE");
        ValidationException.requireNonNull(forecast, "forecast");
        ValidationException.requireNonNull(actual, "actual");
        ValidationException.requireNonNull(weightedOpen, "weightedOpen");
        ValidationException.requireNonNull(projected, "projected");
        largeDeals = List.copyOf(ValidationException.requireNonNull(largeDeals, "largeDeals"));
        ValidationException.requireNonNull(weightedOpenWithoutLargeDeals, "weightedOpenWithoutLargeDeals");
        ValidationException.requireNonNull(projectedWithoutLargeDeals, "projectedWithoutLargeDeals");
    }

    @Override
    public String toString() {
        return node.key() + " " + period + ": plan " + text(plan) + " (" + planSource + "), actual "
                + actual.toPlainString() + ", projected " + projected.toPlainString() + ", attainment "
                + text(attainment) + ", gap " + text(gap) + ", coverage " + text(coverage) + ", large deals "
                + largeDeals.size();
    }

    private static String text(BigDecimal v) {
        return v == null ? "-" : v.toPlainString();
    }
}
