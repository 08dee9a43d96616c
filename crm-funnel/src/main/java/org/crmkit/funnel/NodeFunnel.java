package org.crmkit.funnel;

import org.crmkit.core.OrgNodeId;
import org.crmkit.core.ValidationException;

/**
 * The funnel of one part of a node (a child unit or a direct member) beside the node
 * total, with its shares of the total. In a matrix organisation a manager may sit in two
 * child units, so the shares of the parts may add up to more than 1; the total still counts
 * each opportunity once.
 *
 * @param node the part's org node (a child unit or a direct member)
 * @param name the part's display name
 * @param funnel the part's funnel
 * @param countShare the part's share of the total's opportunity count, null when the total is 0
 * @param openAmountShare the part's share of the total's open amount, null when the total is 0
 * @param wonAmountShare the part's share of the total's won amount, null when the total is 0
 */
public record NodeFunnel(OrgNodeId node, String name, FunnelResult funnel, Double countShare, Double openAmountShare,
        Double wonAmountShare) {
    /**
     * Validates the part.
     *
     * @throws ValidationException when a value is missing
     */
    public NodeFunnel {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireText(name, "name");
        ValidationException.requireNonNull(funnel, "funnel");
    }
}
