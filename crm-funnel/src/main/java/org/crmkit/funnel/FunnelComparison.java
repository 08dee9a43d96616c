package org.crmkit.funnel;

import java.util.List;
import java.util.Locale;
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(total.toString()).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-28s %-24s %8s %7s %7s %7s %16s %16s%n", "part", "name", "count",
                "count%", "open%", "won%", "wonAmount", "openAmount"));
        for (NodeFunnel p : parts) {
            sb.append(String.format(Locale.ROOT, "%-28s %-24s %8d %7s %7s %7s %16s %16s%n", p.node().key(), p.name(),
                    p.funnel().count(), pct(p.countShare()), pct(p.openAmountShare()), pct(p.wonAmountShare()),
                    p.funnel().wonAmount().toPlainString(), p.funnel().openAmount().toPlainString()));
        }
        return sb.toString();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
