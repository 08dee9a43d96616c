package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import javax.money.CurrencyUnit;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.OverduePolicy;

/**
 * The policies of a forecast. Immutable; built with {@link #builder(FiscalCalendar, CurrencyUnit)}
 * and validated when built. Every policy has a default, documented on its builder method.
 *
 * @param calendar fiscal calendar (fiscal year start and zone) that cuts periods
 * @param periodType the period the forecast is bucketed by
 * @param reportingCurrency the currency of every figure
 * @param valuePolicy what an open opportunity without an amount is worth
 * @param overduePolicy where an open opportunity whose expected close date has passed goes: the
 *     SDK's one {@link OverduePolicy}, which the funnel's coverage takes too (same default)
 * @param thresholds probability thresholds of the categories
 * @param openRatePolicy which rate open opportunities and plans convert at
 * @param budgetRateDate the date of the budget rate, null unless {@code openRatePolicy} is BUDGET_RATE
 * @param largeDealShare a deal larger than this share of its period's plan is a large deal
 * @param parentPlanPolicy where the plan of a unit comes from
 * @param exactWorkLimit the most work (opportunities × distinct sums) an exact distribution may take
 * @param monteCarloTrials trials of a Monte Carlo distribution
 * @param seed seed of a Monte Carlo distribution
 * @param drawLimit the most open deals a node's distribution draws one by one (exact or Monte
 *     Carlo); above it the distribution is the normal one of the exact moments, with its error bound
 */
public record ForecastConfig(FiscalCalendar calendar, PeriodType periodType, CurrencyUnit reportingCurrency,
        ValuePolicy valuePolicy, OverduePolicy overduePolicy, CategoryThresholds thresholds,
        OpenRatePolicy openRatePolicy, LocalDate budgetRateDate, BigDecimal largeDealShare,
        ParentPlanPolicy parentPlanPolicy, long exactWorkLimit, int monteCarloTrials, long seed, int drawLimit) {

    /** What an open opportunity is worth when its amount is unknown. */
    public enum ValuePolicy {
        /** Only the amount counts; without one the opportunity is worth 0. */
        AMOUNT_ONLY,
        /** The amount, or the client's budget when the amount is unknown (default). */
        AMOUNT_OR_BUDGET
    }

    /** Which rate open opportunities and plans convert at (won ones always at their close date). */
    public enum OpenRatePolicy {
        /** The rate of the as-of date (default). */
        AS_OF_DATE,
        /** The rate of a fixed budget-rate date, so the forecast moves only with the deals. */
        BUDGET_RATE
    }

    /**
     * Where the plan of a unit comes from. A derived plan never counts a plan twice: it is the
     * sum of the distinct <em>plan holders</em> below the unit, each once however many paths of
     * the org DAG lead to it, and a holder below another holder is left out (its plan is part
     * of the one set above it). So a manager in two child units counts once in the parent.
     */
    public enum ParentPlanPolicy {
        /**
         * The plan set for the unit, else derived (default). A node below it with a set plan
         * holds that plan for everything under it; a manager's own plan counts where no unit
         * between holds one.
         */
        SET_OR_SUM_OF_CHILDREN,
        /**
         * A unit with children always derives, from the plans of the managers (and childless
         * units) below it, each distinct one once; plans set on units with children are not
         * used. A unit without children uses its own.
         */
        SUM_OF_CHILDREN
    }

    /**
     * Validates the configuration.
     *
     * @throws ValidationException when a value is missing or out of range
     */
    public ForecastConfig {
        ValidationException.requireNonNull(calendar, "calendar");
        ValidationException.requireNonNull(periodType, "periodType");
        ValidationException.require(periodType != PeriodType.CUSTOM, "periodType", periodType,
                "MONTH, QUARTER, HALF_YEAR or YEAR");
        ValidationException.requireNonNull(reportingCurrency, "reportingCurrency");
        ValidationException.requireNonNull(valuePolicy, "valuePolicy");
        ValidationException.requireNonNull(overduePolicy, "overduePolicy");
        ValidationException.requireNonNull(thresholds, "thresholds");
        ValidationException.requireNonNull(openRatePolicy, "openRatePolicy");
        ValidationException.require((openRatePolicy == OpenRatePolicy.BUDGET_RATE) == (budgetRateDate != null),
                "budgetRateDate", budgetRateDate, "a date exactly when the open-rate policy is BUDGET_RATE");
        ValidationException.requireNonNull(largeDealShare, "largeDealShare");
        ValidationException.require(largeDealShare.signum() > 0, "largeDealShare", largeDealShare,
                "a share > 0 (e.g. 0.25 for a quarter of the plan)");
        ValidationException.requireNonNull(parentPlanPolicy, "parentPlanPolicy");
        ValidationException.require(exactWorkLimit >= 0, "exactWorkLimit", exactWorkLimit, "a limit >= 0");
        ValidationException.require(monteCarloTrials >= 100 && monteCarloTrials <= 10_000_000, "monteCarloTrials",
                monteCarloTrials, "100..10000000 trials");
        ValidationException.require(drawLimit >= 0, "drawLimit", drawLimit, "a deal count >= 0");
    }

    /**
     * Starts a configuration with every default.
     *
     * @param calendar the fiscal calendar
     * @param reportingCurrency the currency of every figure
     * @return a builder
     */
    public static Builder builder(FiscalCalendar calendar, CurrencyUnit reportingCurrency) {
        return new Builder(calendar, reportingCurrency);
    }

    /**
     * The defaults for a calendar and reporting currency.
     *
     * @param calendar the fiscal calendar
     * @param reportingCurrencyCode the ISO code of the reporting currency
     * @return the configuration
     */
    public static ForecastConfig defaults(FiscalCalendar calendar, String reportingCurrencyCode) {
        return builder(calendar, Amounts.currency(reportingCurrencyCode)).build();
    }

    /**
     * A builder holding this configuration.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(calendar, reportingCurrency);
        b.periodType = periodType;
        b.valuePolicy = valuePolicy;
        b.overduePolicy = overduePolicy;
        b.thresholds = thresholds;
        b.openRatePolicy = openRatePolicy;
        b.budgetRateDate = budgetRateDate;
        b.largeDealShare = largeDealShare;
        b.parentPlanPolicy = parentPlanPolicy;
        b.exactWorkLimit = exactWorkLimit;
        b.monteCarloTrials = monteCarloTrials;
        b.seed = seed;
        b.drawLimit = drawLimit;
        return b;
    }

    /** Collects the policies; {@link #build()} validates them. */
    public static final class Builder {
        private final FiscalCalendar calendar;
        private final CurrencyUnit reportingCurrency;
        private PeriodType periodType = PeriodType.QUARTER;
        private ValuePolicy valuePolicy = ValuePolicy.AMOUNT_OR_BUDGET;
        private OverduePolicy overduePolicy = OverduePolicy.CURRENT_PERIOD;
        private CategoryThresholds thresholds = CategoryThresholds.defaults();
        private OpenRatePolicy openRatePolicy = OpenRatePolicy.AS_OF_DATE;
        private LocalDate budgetRateDate;
        private BigDecimal largeDealShare = new BigDecimal("0.25");
        private ParentPlanPolicy parentPlanPolicy = ParentPlanPolicy.SET_OR_SUM_OF_CHILDREN;
        private long exactWorkLimit = 4_000_000L;
        private int monteCarloTrials = 1_000;
        private long seed = 20_260_101L;
        private int drawLimit = 2_000;

        private Builder(FiscalCalendar calendar, CurrencyUnit reportingCurrency) {
            this.calendar = calendar;
            this.reportingCurrency = reportingCurrency;
        }

        /**
         * The period type; default QUARTER.
         *
         * @param value MONTH, QUARTER, HALF_YEAR or YEAR
         * @return this builder
         */
        public Builder periodType(PeriodType value) {
            this.periodType = value;
            return this;
        }

        /**
         * The value policy; default AMOUNT_OR_BUDGET.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder valuePolicy(ValuePolicy value) {
            this.valuePolicy = value;
            return this;
        }

        /**
         * The overdue policy; default CURRENT_PERIOD, the funnel coverage's default too, so both
         * count an overdue open deal in the period holding the as-of date.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder overduePolicy(OverduePolicy value) {
            this.overduePolicy = value;
            return this;
        }

        /**
         * The category thresholds; default {@link CategoryThresholds#defaults()}.
         *
         * @param value the thresholds
         * @return this builder
         */
        public Builder thresholds(CategoryThresholds value) {
            this.thresholds = value;
            return this;
        }

        /**
         * Open opportunities and plans convert at the rate of the as-of date (the default).
         *
         * @return this builder
         */
        public Builder asOfDateRates() {
            this.openRatePolicy = OpenRatePolicy.AS_OF_DATE;
            this.budgetRateDate = null;
            return this;
        }

        /**
         * Open opportunities and plans convert at the fixed rate of a budget-rate date.
         *
         * @param rateDate the date whose rates are the budget rates
         * @return this builder
         */
        public Builder budgetRate(LocalDate rateDate) {
            this.openRatePolicy = OpenRatePolicy.BUDGET_RATE;
            this.budgetRateDate = Objects.requireNonNull(rateDate, "rateDate");
            return this;
        }

        /**
         * The large-deal share; default 0.25 (a deal above a quarter of its period's plan).
         *
         * @param value a share &gt; 0
         * @return this builder
         */
        public Builder largeDealShare(BigDecimal value) {
            this.largeDealShare = value;
            return this;
        }

        /**
         * The parent-plan policy; default SET_OR_SUM_OF_CHILDREN.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder parentPlanPolicy(ParentPlanPolicy value) {
            this.parentPlanPolicy = value;
            return this;
        }

        /**
         * The most work an exact distribution may take, counted as opportunities × distinct
         * sums; above it the distribution is Monte Carlo. Default 4,000,000 (at most 2M distinct
         * sums held); 0 forces Monte Carlo.
         *
         * @param value the limit, at least 0
         * @return this builder
         */
        public Builder exactWorkLimit(long value) {
            this.exactWorkLimit = value;
            return this;
        }

        /**
         * The Monte Carlo trials; default 1,000 (a sampled P10 or P90 is then within about one
         * percentile point of the true one, at one standard error).
         *
         * @param value 100..10,000,000
         * @return this builder
         */
        public Builder monteCarloTrials(int value) {
            this.monteCarloTrials = value;
            return this;
        }

        /**
         * The Monte Carlo seed; the same seed and data give the same result on any number of threads.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * The most open deals a node's revenue distribution draws one by one (exactly or by Monte
         * Carlo, reading those deals from the source); above it the percentiles come from the
         * normal distribution of the exact mean and variance, with a Berry–Esseen error bound
         * ({@link RevenueDistribution}). Default 2,000.
         *
         * @param value the deal count, at least 0
         * @return this builder
         */
        public Builder drawLimit(int value) {
            this.drawLimit = value;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @return the configuration
         * @throws ValidationException when a value is missing or out of range
         */
        public ForecastConfig build() {
            return new ForecastConfig(calendar, periodType, reportingCurrency, valuePolicy, overduePolicy, thresholds,
                    openRatePolicy, budgetRateDate, largeDealShare, parentPlanPolicy, exactWorkLimit,
                    monteCarloTrials, seed, drawLimit);
        }
    }
}
