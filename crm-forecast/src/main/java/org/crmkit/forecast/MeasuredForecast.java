package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * Expected revenue per future month of a node's open deals by the measured timing model
 * ({@link TimeToCloseModel}), independent of the close dates the managers expect: each open deal
 * contributes value × P(won in the month | its stage and the days since it entered it). What
 * the model cannot place is reported, never dropped: wins expected after the last month, the
 * value whose outcome lies beyond the longest observed episode, and deals at stages without
 * history.
 *
 * <p>Each (deal, month) probability is rounded half-even to a millionth once; every sum after
 * that is exact, so the figures of a partition of a node's owners add up exactly to the node's.
 *
 * @param node the node
 * @param asOf the as-of date (the first month starts here)
 * @param model the model's name
 * @param conversion how figures were converted (open deals at the open rate)
 * @param openDeals the open deals of the node at the as-of instant
 * @param months the expected wins and revenue per month, in order
 * @param expectedWinsLater expected wins after the last month
 * @param expectedRevenueLater expected revenue after the last month
 * @param unresolvedRevenue value × P(still open after the longest observed episode): not placed
 * @param unmodelledDeals open deals at a stage without any closed episode in their process
 * @param unmodelledAmount their value, not in any other figure
 */
public record MeasuredForecast(OrgNodeId node, LocalDate asOf, String model, ConversionBasis conversion,
        long openDeals, List<ExpectedMonth> months, BigDecimal expectedWinsLater, BigDecimal expectedRevenueLater,
        BigDecimal unresolvedRevenue, long unmodelledDeals, BigDecimal unmodelledAmount) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public MeasuredForecast {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireNonNull(asOf, "asOf");
        ValidationException.requireText(model, "model");
        ValidationException.requireNonNull(conversion, "conversion");
        months = List.copyOf(ValidationException.requireNonNull(months, "months"));
        ValidationException.requireNonNull(expectedWinsLater, "expectedWinsLater");
        ValidationException.requireNonNull(expectedRevenueLater, "expectedRevenueLater");
        ValidationException.requireNonNull(unresolvedRevenue, "unresolvedRevenue");
        ValidationException.requireNonNull(unmodelledAmount, "unmodelledAmount");
    }

    /**
     * The figures of a month.
     *
     * @param month the month
     * @return the expectation, empty when the month is outside the horizon
     */
    public Optional<ExpectedMonth> month(Period month) {
        return months.stream().filter(m -> m.month().start().equals(month.start())).findFirst();
    }

    /**
     * The expected revenue of a period made of whole months of the horizon.
     *
     * @param period the period (its first month may be the partial month of the as-of date)
     * @return the sum over its months
     * @throws ValidationException when the period is not covered by whole months of the horizon
     */
    public BigDecimal expectedRevenue(Period period) {
        BigDecimal sum = BigDecimal.ZERO;
        LocalDate covered = null;
        for (ExpectedMonth m : months) {
            boolean inside = !m.month().end().isAfter(period.end()) && m.month().end().isAfter(period.start());
            if (inside) {
                sum = sum.add(m.expectedRevenue());
                covered = m.month().end();
            }
        }
        ValidationException.require(covered != null && covered.equals(period.end()), "period", period,
                "a period of whole months within the horizon " + (months.isEmpty() ? "(none)"
                        : months.get(0).month().start() + ".." + months.get(months.size() - 1).month().end()));
        return sum;
    }
}
