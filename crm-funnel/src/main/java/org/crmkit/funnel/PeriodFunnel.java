package org.crmkit.funnel;

import java.time.LocalDate;
import org.crmkit.core.ValidationException;

/**
 * One point of a funnel's dynamics: the funnel of one period.
 *
 * @param period the period label
 * @param start the first day of the period
 * @param end the first day after the period
 * @param funnel the funnel of the period
 */
public record PeriodFunnel(String period, LocalDate start, LocalDate end, FunnelResult funnel) {
    /**
     * Validates the point.
     *
     * @throws ValidationException when a value is missing
     */
    public PeriodFunnel {
        ValidationException.requireText(period, "period");
        ValidationException.requireNonNull(start, "start");
        ValidationException.requireNonNull(end, "end");
        ValidationException.requireNonNull(funnel, "funnel");
    }
}
