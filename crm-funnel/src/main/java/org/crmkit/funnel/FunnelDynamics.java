package org.crmkit.funnel;

import java.util.List;
import java.util.Locale;
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %8s %8s %8s %8s %7s %16s %16s%n",
                periodType, "count", "open", "won", "lost", "winRate", "wonAmount", "openAmount"));
        for (PeriodFunnel p : points) {
            FunnelResult f = p.funnel();
            sb.append(String.format(Locale.ROOT, "%-16s %8d %8d %8d %8d %7s %16s %16s%n", p.period(), f.count(),
                    f.open(), f.won(), f.lost(),
                    f.winRate() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", f.winRate() * 100),
                    f.wonAmount().toPlainString(), f.openAmount().toPlainString()));
        }
        return sb.toString();
    }
}
