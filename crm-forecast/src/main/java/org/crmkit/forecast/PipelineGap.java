package org.crmkit.forecast;

import java.math.BigDecimal;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * A node's plan for a coming period against what its open pipeline is expected to bring by the
 * measured timing model ({@link TimingForecast#pipelineGap}): a manager whose early stages are
 * empty shows a gap in the periods after the current one, however full the late stages are.
 *
 * @param node the node
 * @param period the period
 * @param conversion how figures were converted
 * @param plan the plan, null when none
 * @param actual revenue already won in the period (by close date)
 * @param expected revenue the open pipeline is expected to bring in the period
 * @param projected actual + expected
 * @param gap plan − projected (positive: short of plan), null without a plan
 * @param coverage projected / plan, null without a positive plan
 * @param openDeals the node's open deals
 * @param earlyStageDeals those at the early stages
 * @param earlyStages how many of the first open stages count as early
 */
public record PipelineGap(OrgNodeId node, Period period, ConversionBasis conversion, BigDecimal plan,
        BigDecimal actual, BigDecimal expected, BigDecimal projected, BigDecimal gap, BigDecimal coverage,
        long openDeals, long earlyStageDeals, int earlyStages) {
    /**
     * Validates.
     *
     * @throws ValidationException when a value is missing
     */
    public PipelineGap {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireNonNull(conversion, "conversion");
        ValidationException.requireNonNull(actual, "actual");
        ValidationException.requireNonNull(expected, "expected");
        ValidationException.requireNonNull(projected, "projected");
    }
}
