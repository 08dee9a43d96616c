package org.crmkit.forecast;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.crmkit.core.ValidationException;

/**
 * A computed figure with the adjustments made to it, side by side: the computed value is
 * never changed; the adjusted value is the latest adjustment's.
 *
 * @param figure which figure
 * @param computed the value computed from the opportunities, exact
 * @param adjusted the latest adjusted value, or null when not adjusted
 * @param adjustments every adjustment of this figure, oldest first
 */
public record AdjustedFigure(ForecastFigure figure, BigDecimal computed, BigDecimal adjusted,
        List<ForecastAdjustment> adjustments) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing or the adjusted value is not the latest adjustment's
     */
    public AdjustedFigure {
        ValidationException.requireNonNull(figure, "figure");
        ValidationException.requireNonNull(computed, "computed");
        adjustments = List.copyOf(ValidationException.requireNonNull(adjustments, "adjustments"));
        BigDecimal latest = adjustments.isEmpty() ? null : adjustments.get(adjustments.size() - 1).value();
        boolean agrees = latest == null ? adjusted == null : adjusted != null && latest.compareTo(adjusted) == 0;
        ValidationException.require(agrees, "adjusted", adjusted, "the value of the latest adjustment");
    }

    /**
     * The value to show: the adjusted one when adjusted, else the computed one.
     *
     * @return the effective value
     */
    public BigDecimal effective() {
        return adjusted == null ? computed : adjusted;
    }

    /**
     * The latest adjustment.
     *
     * @return the adjustment, empty when not adjusted
     */
    public Optional<ForecastAdjustment> latest() {
        return adjustments.isEmpty() ? Optional.empty() : Optional.of(adjustments.get(adjustments.size() - 1));
    }

    @Override
    public String toString() {
        return figure + ": computed " + computed.toPlainString()
                + (adjusted == null ? "" : ", adjusted " + adjusted.toPlainString() + " by " + latest().get().by());
    }
}
