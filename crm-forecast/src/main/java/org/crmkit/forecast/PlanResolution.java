package org.crmkit.forecast;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.money.MonetaryAmount;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;

/**
 * The plan of a node for one period: the one set for it, or one derived from the plans below
 * it, by the {@link ForecastConfig.ParentPlanPolicy}. The one rule every module derives a
 * parent's plan by ({@link ForecastSnapshot#planVsActual}, and through it the pipeline gap,
 * the report and the examples).
 *
 * <p><b>Derived plan.</b> The org structure is a DAG: a manager may sit in two units under the
 * same parent, and a unit under two parents. Summing the children's plans level by level then
 * counts such a manager's plan once per path. Instead the plan is derived from the distinct
 * <em>plan holders</em> below the node:
 * <ol>
 *   <li>walk down from the node's children; a node <em>holds</em> the plan of its part of the
 *       tree, and the walk stops there, when a plan is set for it and either the policy is
 *       {@link ForecastConfig.ParentPlanPolicy#SET_OR_SUM_OF_CHILDREN} (a plan set on a unit
 *       stands for everything below it) or it has no children (a manager, or a unit without
 *       children, under {@link ForecastConfig.ParentPlanPolicy#SUM_OF_CHILDREN});
 *       otherwise the walk goes on into its children;</li>
 *   <li>each distinct holder counts once, however many paths lead to it;</li>
 *   <li>a holder below another holder is left out: its plan is already part of the plan set on
 *       the unit above it (a manager in a unit with its own plan and also in a unit without one
 *       counts inside the first unit's plan only).</li>
 * </ol>
 * The derived plan is the sum of the holders' targets, each converted to the reporting
 * currency on its own; it is absent ({@link PlanVsActual.PlanSource#NONE}) when no holder is
 * found. Under {@code SET_OR_SUM_OF_CHILDREN} a node with a set plan uses it; under
 * {@code SUM_OF_CHILDREN} a unit with children always derives (its own plan counts only when
 * it has no children, like a manager's).
 */
final class PlanResolution {
    /**
     * A node's plan and where it comes from.
     *
     * @param plan the plan in the reporting currency, null when none
     * @param source where it comes from; NONE exactly when {@code plan} is null
     */
    record Resolved(BigDecimal plan, PlanVsActual.PlanSource source) {
    }

    private PlanResolution() {
    }

    /**
     * Resolves the plan of a node.
     *
     * @param config the forecast configuration (its parent-plan policy)
     * @param org the org structure
     * @param node the node
     * @param plansOfPeriod the plans of the period, by node
     * @param toReporting converts a plan target to the reporting currency
     * @return the plan and its source
     * @throws org.crmkit.core.NotFoundException when the node is unknown
     */
    static Resolved resolve(ForecastConfig config, OrgStructure org, OrgNodeId node,
            Map<OrgNodeId, SalesPlan> plansOfPeriod, Function<MonetaryAmount, BigDecimal> toReporting) {
        Objects.requireNonNull(node, "node");
        boolean setWins = config.parentPlanPolicy() == ForecastConfig.ParentPlanPolicy.SET_OR_SUM_OF_CHILDREN;
        List<OrgNodeId> children = children(org, node);
        SalesPlan own = plansOfPeriod.get(node);
        if (own != null && (setWins || children.isEmpty())) {
            return new Resolved(toReporting.apply(own.target()), PlanVsActual.PlanSource.SET);
        }
        Set<OrgNodeId> holders = holders(org, children, plansOfPeriod, setWins);
        BigDecimal sum = null;
        for (OrgNodeId h : holders) {
            if (Collections.disjoint(org.ancestorsOf(h), holders)) {
                BigDecimal v = toReporting.apply(plansOfPeriod.get(h).target());
                sum = sum == null ? v : sum.add(v);
            }
        }
        return sum == null ? new Resolved(null, PlanVsActual.PlanSource.NONE)
                : new Resolved(sum, PlanVsActual.PlanSource.SUM_OF_CHILDREN);
    }

    /** The distinct plan holders reached from the given nodes, in the order first reached. */
    private static Set<OrgNodeId> holders(OrgStructure org, List<OrgNodeId> start, Map<OrgNodeId, SalesPlan> plans,
            boolean setWins) {
        Set<OrgNodeId> holders = new LinkedHashSet<>();
        Set<OrgNodeId> seen = new HashSet<>();
        Deque<OrgNodeId> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            OrgNodeId n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            List<OrgNodeId> below = children(org, n);
            if (plans.containsKey(n) && (setWins || below.isEmpty())) {
                holders.add(n);
            } else {
                todo.addAll(below);
            }
        }
        return holders;
    }

    private static List<OrgNodeId> children(OrgStructure org, OrgNodeId node) {
        return node instanceof UnitId u ? org.childrenOf(u) : List.of();
    }
}
