package org.crmkit.forecast;

import java.util.List;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.ValidationException;

/**
 * The forecast of an org node with its children: a roll-up over the org structure. A node's
 * figures come from the opportunities of its distinct members, so each opportunity counts
 * once per node even when its owner is reachable by two paths; a unit reachable from two
 * parents appears under both. Adjustments are shown beside the computed figures.
 *
 * @param node the node
 * @param name its display name
 * @param owners the number of distinct managers it covers
 * @param conversion how figures were converted
 * @param periods the node's periods with adjustments, in time order
 * @param children the child units, then the direct member managers (empty for a manager)
 */
public record NodeForecast(OrgNodeId node, String name, int owners, ConversionBasis conversion,
        List<NodePeriodForecast> periods, List<NodeForecast> children) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public NodeForecast {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireText(name, "name");
        ValidationException.requireNonNull(conversion, "conversion");
        periods = List.copyOf(ValidationException.requireNonNull(periods, "periods"));
        children = List.copyOf(ValidationException.requireNonNull(children, "children"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, 0);
        return sb.toString();
    }

    private void append(StringBuilder sb, int depth) {
        String indent = "  ".repeat(depth);
        sb.append(indent).append(node.key()).append(" ").append(name).append(" (").append(owners).append(" owners)\n");
        for (NodePeriodForecast p : periods) {
            sb.append(indent).append("  ").append(p).append('\n');
        }
        for (NodeForecast c : children) {
            c.append(sb, depth + 1);
        }
    }
}
