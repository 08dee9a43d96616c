package org.crmkit.forecast;

import java.util.List;
import org.crmkit.core.ValidationException;

/**
 * One period of a node: the computed forecast and, for every figure a manager adjusted,
 * the computed and the adjusted values side by side.
 *
 * @param computed the forecast computed from the opportunities
 * @param adjusted the adjusted figures, in {@link ForecastFigure} order (only those adjusted)
 */
public record NodePeriodForecast(PeriodForecast computed, List<AdjustedFigure> adjusted) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public NodePeriodForecast {
        ValidationException.requireNonNull(computed, "computed");
        adjusted = List.copyOf(ValidationException.requireNonNull(adjusted, "adjusted"));
    }

    /**
     * A figure with its adjustments.
     *
     * @param figure the figure
     * @return the computed value beside its adjustments (none when not adjusted)
     */
    public AdjustedFigure figure(ForecastFigure figure) {
        return adjusted.stream().filter(a -> a.figure() == figure).findFirst()
                .orElseGet(() -> new AdjustedFigure(figure, computed.value(figure), null, List.of()));
    }

    @Override
    public String toString() {
        return computed + (adjusted.isEmpty() ? "" : " " + adjusted);
    }
}
