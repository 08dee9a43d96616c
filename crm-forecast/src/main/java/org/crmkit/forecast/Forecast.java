package org.crmkit.forecast;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ValidationException;

/**
 * A forecast per period for a set of opportunities (all of a snapshot, or a node's).
 *
 * @param asOf the as-of date (overdue deals are judged against it)
 * @param model the name of the probability model
 * @param conversion how figures were converted to the reporting currency
 * @param periodType the period type of the buckets
 * @param opportunities the number of opportunities counted (open and won)
 * @param periods the periods that hold an opportunity, in time order
 */
public record Forecast(LocalDate asOf, String model, ConversionBasis conversion, PeriodType periodType,
        long opportunities, List<PeriodForecast> periods) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public Forecast {
        ValidationException.requireNonNull(asOf, "asOf");
        ValidationException.requireText(model, "model");
        ValidationException.requireNonNull(conversion, "conversion");
        ValidationException.requireNonNull(periodType, "periodType");
        periods = List.copyOf(ValidationException.requireNonNull(periods, "periods"));
    }

    /**
     * The forecast of one period.
     *
     * @param period a period of this forecast's type
     * @return the forecast, empty when no opportunity falls in it
     */
    public Optional<PeriodForecast> period(Period period) {
        return periods.stream().filter(p -> p.period().start().equals(period.start())
                && p.period().end().equals(period.end())).findFirst();
    }

    /**
     * The forecast of one period, zero when nothing falls in it.
     *
     * @param period a period of this forecast's type
     * @return the forecast
     */
    public PeriodForecast periodOrEmpty(Period period) {
        return period(period).orElseGet(() -> PeriodForecast.empty(period));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Forecast as of ").append(asOf).append(" (").append(model).append(", ")
                .append(conversion).append(", ").append(opportunities).append(" opportunities)");
        for (PeriodForecast p : periods) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
