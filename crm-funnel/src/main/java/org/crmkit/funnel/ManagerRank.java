package org.crmkit.funnel;

import java.math.BigDecimal;
import org.crmkit.core.ManagerId;
import org.crmkit.core.ValidationException;

/**
 * One manager's place in a ranking, with the figures every ranking shows.
 *
 * @param rank the place, 1 for the best; managers without the ranked figure come last
 * @param manager the manager
 * @param name the manager's name
 * @param count the manager's opportunities in the population
 * @param won the won ones
 * @param lost the lost ones
 * @param wonAmount their actual revenue, in the reporting currency
 * @param winRate {@code won / (won + lost)}, null when nothing closed
 * @param conversion the cumulative conversion to the last open stage, null when nothing
 *     reached the first
 * @param velocityPerDay the sales velocity, null when undefined
 */
public record ManagerRank(int rank, ManagerId manager, String name, long count, long won, long lost,
        BigDecimal wonAmount, Double winRate, Double conversion, BigDecimal velocityPerDay) {
    /**
     * Validates the entry.
     *
     * @throws ValidationException when a value is missing or out of range
     */
    public ManagerRank {
        ValidationException.require(rank >= 1, "rank", rank, "a rank >= 1");
        ValidationException.requireNonNull(manager, "manager");
        ValidationException.requireText(name, "name");
        ValidationException.requireNonNull(wonAmount, "wonAmount");
    }
}
