package org.crmkit.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Presentation of figures: the only place where the report rounds. */
final class Fmt {
    private Fmt() {
    }

    /** Whole currency units with thousands separators, half-even; "-" for none. */
    static String money(BigDecimal value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,d",
                value.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact());
    }

    /** A ratio as a percentage with one decimal; "-" when undefined. */
    static String pct(Double ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    /** A ratio as a percentage with one decimal; "-" when undefined. */
    static String pct(BigDecimal ratio) {
        return ratio == null ? "-" : pct(ratio.doubleValue());
    }

    /** A stage name without its explanation in parentheses, for narrow headers. */
    static String shortStage(String name) {
        int p = name.indexOf(" (");
        return p < 0 ? name : name.substring(0, p);
    }

    /** Cuts text to a width, marking the cut. */
    static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
