package org.crmkit.funnel;

import java.util.List;
import org.crmkit.core.ValidationException;

/**
 * A node's funnel beside the funnels of its parts (child units, then direct members).
 *
 * @param total the node's funnel (each opportunity once)
 * @param parts the parts, in the org structure's order
 */
public record FunnelComparison(FunnelResult total, List<NodeFunnel> parts) {
    /**
     * Validates the comparison and copies the parts.
     *
     * @throws ValidationException when a value is missing
     */
    public FunnelComparison {
        ValidationException.requireNonNull(total, "total");
        parts = List.copyOf(ValidationException.requireNonNull(parts, "parts"));
    }
}
