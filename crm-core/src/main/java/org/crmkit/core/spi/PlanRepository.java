package org.crmkit.core.spi;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.SalesPlan;

/**
 * Stores sales plans keyed by (node, period start, period end); saving a plan with a
 * stored key replaces it.
 */
public interface PlanRepository {
    /**
     * Stores or replaces a plan.
     *
     * @param plan the plan
     */
    void save(SalesPlan plan);

    /**
     * Stores or replaces many plans in one atomic step.
     *
     * @param plans the plans
     */
    void saveAll(Collection<SalesPlan> plans);

    /**
     * Reads the plan of a node for a period.
     *
     * @param node the node
     * @param period the period (matched by start and end)
     * @return the plan, empty when none
     */
    Optional<SalesPlan> find(OrgNodeId node, Period period);

    /**
     * The plans of a node, ordered by period start.
     *
     * @param node the node
     * @return the plans
     */
    List<SalesPlan> findByNode(OrgNodeId node);

    /**
     * The plans whose period overlaps a date range, ordered by node key and period start.
     *
     * @param from first day, inclusive
     * @param toExclusive first day after the range
     * @return the plans
     */
    List<SalesPlan> findOverlapping(LocalDate from, LocalDate toExclusive);

    /**
     * Every plan, ordered by node key and period start.
     *
     * @return the plans
     */
    List<SalesPlan> findAll();

    /**
     * Deletes the plan of a node for a period.
     *
     * @param node the node
     * @param period the period
     * @return true when a plan was deleted
     */
    boolean delete(OrgNodeId node, Period period);
}
