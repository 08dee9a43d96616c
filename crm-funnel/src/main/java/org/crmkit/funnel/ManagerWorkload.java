package org.crmkit.funnel;

import java.math.BigDecimal;
import java.util.List;
import org.crmkit.core.ValidationException;

/**
 * How busy one manager (or, summed, a node) is: see {@link Workload} for every definition.
 *
 * @param key the node key ({@code manager:...}, or {@code unit:...} for a node's total)
 * @param name the display name
 * @param openDeals deals open as of the as-of instant
 * @param openByStage of those, how many at each open stage, in process order
 * @param idleDeals open deals without a stage change or history entry for more than the idle days
 * @param historyEntries history entries of any kind the manager logged in the period
 * @param activities of those, entries of kind ACTIVITY (meetings, calls)
 * @param closedInPeriod owned deals closed (won or lost) in the period, by close date
 * @param hoursOnClosed hours recorded on those deals
 * @param closedWithoutHours closed deals of the period without hours recorded (not in the sum)
 * @param openDealsToAverage open deals / the node's average open deals per manager, null when the average is 0
 */
public record ManagerWorkload(String key, String name, long openDeals, List<Long> openByStage, long idleDeals,
        long historyEntries, long activities, long closedInPeriod, BigDecimal hoursOnClosed, long closedWithoutHours,
        Double openDealsToAverage) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public ManagerWorkload {
        ValidationException.requireText(key, "key");
        ValidationException.requireText(name, "name");
        openByStage = List.copyOf(ValidationException.requireNonNull(openByStage, "openByStage"));
        ValidationException.require(openDeals >= 0 && idleDeals >= 0 && idleDeals <= openDeals, "idleDeals",
                idleDeals, "0..openDeals");
        ValidationException.requireNonNull(hoursOnClosed, "hoursOnClosed");
    }
}
