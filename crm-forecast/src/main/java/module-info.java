/**
 * crmkit forecast: weighted forecasts bucketed by fiscal period, forecast categories,
 * roll-up over the org structure with manager adjustments, plan vs actual vs forecast,
 * large deals and revenue distributions. The {@code spi} package holds the
 * {@link org.crmkit.forecast.spi.ProbabilityModel} extension point.
 */
module org.crmkit.forecast {
    requires transitive org.crmkit.core;
    requires transitive org.crmkit.funnel;

    exports org.crmkit.forecast;
    exports org.crmkit.forecast.spi;

    opens org.crmkit.forecast to com.fasterxml.jackson.databind;
}
