package org.crmkit.funnel;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.ValidationException;

/**
 * Funnel completeness: is the open pipeline expected to close in a period enough to meet
 * what is left of the plan? {@code coverage = pipeline / remaining} where
 * {@code remaining = max(0, plan − actual)}, actual being the revenue of the deals won in the
 * period (by the date of their closing transition in the engine's calendar zone, as the
 * forecast places them). The pipeline places an overdue open deal by the
 * {@link OverduePolicy} (default: in the period holding the as-of date, as the forecast does).
 * Amounts are in the reporting currency at the rates of {@code rateDate}.
 *
 * @param scope the plan's node
 * @param period the period label
 * @param asOf the instant the pipeline was taken at
 * @param currency the reporting currency code
 * @param rateDate the date of the exchange rates
 * @param plan the plan target
 * @param actual the revenue won in the period
 * @param remaining what is left to close, never negative
 * @param openCount the open opportunities expected to close in the period (overdue ones
 *     placed by the overdue policy)
 * @param pipeline their amount
 * @param weightedPipeline their probability-weighted amount
 * @param coverage {@code pipeline / remaining}, null when nothing remains
 * @param weightedCoverage {@code weightedPipeline / remaining}, null when nothing remains
 * @param notices what the figures depend on that the query did not say (e.g. the reporting
 *     currency taken from the plan), empty when nothing
 */
public record Coverage(java.util.List<OrgNodeId> scope, String period, Instant asOf, String currency, LocalDate rateDate,
        BigDecimal plan, BigDecimal actual, BigDecimal remaining, long openCount, BigDecimal pipeline,
        BigDecimal weightedPipeline, Double coverage, Double weightedCoverage, java.util.List<FunnelNotice> notices) {
    /**
     * Validates the coverage.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public Coverage {
        scope = java.util.List.copyOf(ValidationException.requireNonNull(scope, "scope"));
        ValidationException.requireText(period, "period");
        ValidationException.requireNonNull(asOf, "asOf");
        ValidationException.requireText(currency, "currency");
        ValidationException.requireNonNull(rateDate, "rateDate");
        ValidationException.requireNonNull(plan, "plan");
        ValidationException.requireNonNull(actual, "actual");
        ValidationException.require(remaining != null && remaining.signum() >= 0, "remaining", remaining,
                "an amount >= 0");
        ValidationException.requireNonNull(pipeline, "pipeline");
        ValidationException.requireNonNull(weightedPipeline, "weightedPipeline");
        notices = java.util.List.copyOf(ValidationException.requireNonNull(notices, "notices"));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "Coverage %s %s as of %s: plan %s, actual %s, remaining %s %s; pipeline %s (%d open) = %s,"
                        + " weighted %s = %s (rates of %s)",
                scope.stream().map(OrgNodeId::key).toList(), period, asOf, plan.toPlainString(), actual.toPlainString(), remaining.toPlainString(), currency,
                pipeline.toPlainString(), openCount, ratio(coverage), weightedPipeline.toPlainString(),
                ratio(weightedCoverage), rateDate);
    }

    private static String ratio(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }
}
