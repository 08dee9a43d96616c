package org.crmkit.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import org.crmkit.forecast.Figure;
import org.crmkit.forecast.PeriodForecast;

/**
 * Presentation of figures: the only place where a report rounds (exact decimals stay exact
 * until they are shown). Shared by {@link HtmlReport} and an application's own tables.
 */
public final class Fmt {
    /** The forecast categories in the order reports show them, individual then cumulative. */
    public static final List<String> CATEGORIES = List.of("Closed", "Commit", "Best case", "Pipeline", "Omitted",
            "Commit (cumulative)", "Best case (cumulative)", "Open pipeline");

    private Fmt() {
    }

    /**
     * The figure of a category of {@link #CATEGORIES}.
     *
     * @param pf the period's forecast
     * @param category a name of {@link #CATEGORIES}
     * @return the figure
     * @throws IllegalArgumentException when the category is unknown
     */
    public static Figure figure(PeriodForecast pf, String category) {
        return switch (category) {
            case "Closed" -> pf.closed();
            case "Commit" -> pf.commit();
            case "Best case" -> pf.bestCase();
            case "Pipeline" -> pf.pipeline();
            case "Omitted" -> pf.omitted();
            case "Commit (cumulative)" -> pf.commitCumulative();
            case "Best case (cumulative)" -> pf.bestCaseCumulative();
            case "Open pipeline" -> pf.openPipeline();
            default -> throw new IllegalArgumentException("category " + category);
        };
    }

    /**
     * Whole currency units with thousands separators, half-even.
     *
     * @param value the amount, may be null
     * @return the text, "-" for none
     */
    public static String money(BigDecimal value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,d",
                value.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact());
    }

    /**
     * A ratio as a percentage with one decimal.
     *
     * @param ratio the ratio, may be null
     * @return the text, "-" when undefined
     */
    public static String pct(Double ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    /**
     * A ratio as a percentage with one decimal.
     *
     * @param ratio the ratio, may be null
     * @return the text, "-" when undefined
     */
    public static String pct(BigDecimal ratio) {
        return ratio == null ? "-" : pct(ratio.doubleValue());
    }

    /**
     * A stage name without its explanation in parentheses, for narrow headers.
     *
     * @param name the stage name
     * @return the short name
     */
    public static String shortStage(String name) {
        int p = name.indexOf(" (");
        return p < 0 ? name : name.substring(0, p);
    }

    /**
     * Cuts text to a width, marking the cut.
     *
     * @param text the text
     * @param width the most characters, at least 2
     * @return the text, cut with an ellipsis when longer
     */
    public static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
