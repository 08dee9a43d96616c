package org.crmkit.funnel;

import java.util.List;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ValidationException;

/**
 * The same funnel figures period by period over a range, for charts.
 *
 * @param periodType the length of the periods
 * @param points one funnel per period, in time order
 */
public record FunnelDynamics(PeriodType periodType, List<PeriodFunnel> points) {
    /**
     * Validates the dynamics and copies the points.
     *
     * @throws ValidationException when a value is missing
     */
    public FunnelDynamics {
        ValidationException.requireNonNull(periodType, "periodType");
        points = List.copyOf(ValidationException.requireNonNull(points, "points"));
    }
}
