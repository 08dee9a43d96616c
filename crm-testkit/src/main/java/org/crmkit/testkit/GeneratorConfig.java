package org.crmkit.testkit;

import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.money.CurrencyUnit;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * What a {@link DatasetGenerator} generates: sizes, the org hierarchy's shape, currencies,
 * the date range, the process, the outcome shares and the seed. Immutable; made with
 * {@link #builder()} (validated when built) or {@link #defaults()}.
 *
 * <p>Defaults: 100,000 opportunities; 200 managers in a company of 3 departments × 2
 * divisions × 3 groups, 5 % of them members of two groups; EUR 70 %, USD 20 %, GBP 10 %,
 * reported in EUR; 12 months from 2026-01-01 in UTC with a fiscal year starting in January,
 * as of 2026-10-01;
 * the reference corporate-sales process in {@link ProcessMode#FREE} mode (so histories may
 * skip stages); 25 % won, 35 % lost, 40 % open; seed 42; no heavy children.
 */
public final class GeneratorConfig {
    private final long seed;
    private final long opportunities;
    private final int managers;
    private final int departments;
    private final int divisionsPerDepartment;
    private final int groupsPerDivision;
    private final double shareOfManagersInTwoGroups;
    private final Map<CurrencyUnit, Double> currencyWeights;
    private final CurrencyUnit reportingCurrency;
    private final LocalDate start;
    private final int months;
    private final LocalDate asOfDate;
    // kept apart so toBuilder() copies a chosen date but re-derives a default one
    private final LocalDate explicitAsOfDate;
    private final ZoneId zone;
    private final Month fiscalYearStart;
    private final SalesProcess process;
    private final double wonShare;
    private final double lostShare;
    private final double openShare;
    private final boolean fullChildren;

    private GeneratorConfig(Builder b) {
        this.seed = b.seed;
        this.opportunities = b.opportunities;
        this.managers = b.managers;
        this.departments = b.departments;
        this.divisionsPerDepartment = b.divisionsPerDepartment;
        this.groupsPerDivision = b.groupsPerDivision;
        this.shareOfManagersInTwoGroups = b.shareOfManagersInTwoGroups;
        this.currencyWeights = Collections.unmodifiableMap(new LinkedHashMap<>(b.currencyWeights));
        this.reportingCurrency = b.reportingCurrency;
        this.start = b.start;
        this.months = b.months;
        this.explicitAsOfDate = b.asOfDate;
        this.asOfDate = b.asOfDate != null ? b.asOfDate : defaultAsOf(b.start, b.months);
        this.zone = b.zone;
        this.fiscalYearStart = b.fiscalYearStart;
        this.process = b.process;
        this.wonShare = b.wonShare;
        this.lostShare = b.lostShare;
        this.openShare = b.openShare;
        this.fullChildren = b.fullChildren;
    }

    private static LocalDate defaultAsOf(LocalDate start, int months) {
        return start.plusMonths(Math.max(1, months * 3 / 4));
    }

    private static Map<CurrencyUnit, Double> defaultCurrencies() {
        Map<CurrencyUnit, Double> m = new LinkedHashMap<>();
        m.put(Amounts.currency("EUR"), 0.70);
        m.put(Amounts.currency("USD"), 0.20);
        m.put(Amounts.currency("GBP"), 0.10);
        return m;
    }

    /**
     * The default configuration.
     *
     * @return the defaults described in the class comment
     */
    public static GeneratorConfig defaults() {
        return builder().build();
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration, to derive a changed copy.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.opportunities = opportunities;
        b.managers = managers;
        b.departments = departments;
        b.divisionsPerDepartment = divisionsPerDepartment;
        b.groupsPerDivision = groupsPerDivision;
        b.shareOfManagersInTwoGroups = shareOfManagersInTwoGroups;
        b.currencyWeights.clear();
        b.currencyWeights.putAll(currencyWeights);
        b.reportingCurrency = reportingCurrency;
        b.start = start;
        b.months = months;
        b.asOfDate = explicitAsOfDate;
        b.zone = zone;
        b.fiscalYearStart = fiscalYearStart;
        b.process = process;
        b.wonShare = wonShare;
        b.lostShare = lostShare;
        b.openShare = openShare;
        b.fullChildren = fullChildren;
        return b;
    }

    /**
     * The seed: the same seed gives the same dataset on every run.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * The number of opportunities.
     *
     * @return the count
     */
    public long opportunities() {
        return opportunities;
    }

    /**
     * The number of managers.
     *
     * @return the count
     */
    public int managers() {
        return managers;
    }

    /**
     * The number of departments under the company.
     *
     * @return the count
     */
    public int departments() {
        return departments;
    }

    /**
     * The number of divisions in each department.
     *
     * @return the count
     */
    public int divisionsPerDepartment() {
        return divisionsPerDepartment;
    }

    /**
     * The number of groups in each division.
     *
     * @return the count
     */
    public int groupsPerDivision() {
        return groupsPerDivision;
    }

    /**
     * The number of groups in the whole company.
     *
     * @return departments × divisions × groups
     */
    public int groups() {
        return departments * divisionsPerDepartment * groupsPerDivision;
    }

    /**
     * The share of managers who are members of two groups.
     *
     * @return 0–1
     */
    public double shareOfManagersInTwoGroups() {
        return shareOfManagersInTwoGroups;
    }

    /**
     * The opportunity currencies and their weights (relative; they need not add up to 1).
     *
     * @return currency to weight, in the order given, unmodifiable
     */
    public Map<CurrencyUnit, Double> currencyWeights() {
        return currencyWeights;
    }

    /**
     * The reporting currency: plans are in it and the exchange rates convert into it.
     *
     * @return the currency
     */
    public CurrencyUnit reportingCurrency() {
        return reportingCurrency;
    }

    /**
     * The first day of the date range.
     *
     * @return the start date
     */
    public LocalDate start() {
        return start;
    }

    /**
     * The length of the date range.
     *
     * @return months, at least 1
     */
    public int months() {
        return months;
    }

    /**
     * The first day after the date range; the dataset is a snapshot taken at its start of
     * day, so nothing in it happens later.
     *
     * @return {@code start + months}
     */
    public LocalDate end() {
        return start.plusMonths(months);
    }

    /**
     * The day the dataset is a snapshot of, inside the range: everything in the dataset
     * happens before its start of day, so months before it hold actuals and months after it
     * hold the open pipeline.
     *
     * @return the as-of date; by default three quarters into the range
     */
    public LocalDate asOfDate() {
        return asOfDate;
    }

    /**
     * The time zone dates are taken in.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The fiscal calendar quarters are cut by.
     *
     * @return the calendar of the configured fiscal year start and zone
     */
    public FiscalCalendar calendar() {
        return FiscalCalendar.of(fiscalYearStart, zone);
    }

    /**
     * The sales process of every opportunity.
     *
     * @return the process
     */
    public SalesProcess process() {
        return process;
    }

    /**
     * The share of won opportunities.
     *
     * @return 0–1
     */
    public double wonShare() {
        return wonShare;
    }

    /**
     * The share of lost opportunities.
     *
     * @return 0–1
     */
    public double lostShare() {
        return lostShare;
    }

    /**
     * The share of open opportunities.
     *
     * @return 0–1
     */
    public double openShare() {
        return openShare;
    }

    /**
     * Whether opportunities carry heavy children (competitors, participants, leads, product
     * lines, history entries); off by default to keep generation cheap.
     *
     * @return true to generate full children
     */
    public boolean fullChildren() {
        return fullChildren;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratorConfig c && seed == c.seed && opportunities == c.opportunities
                && managers == c.managers && departments == c.departments
                && divisionsPerDepartment == c.divisionsPerDepartment && groupsPerDivision == c.groupsPerDivision
                && shareOfManagersInTwoGroups == c.shareOfManagersInTwoGroups
                && currencyWeights.equals(c.currencyWeights) && reportingCurrency.equals(c.reportingCurrency)
                && start.equals(c.start) && months == c.months && asOfDate.equals(c.asOfDate)
                && Objects.equals(explicitAsOfDate, c.explicitAsOfDate) && zone.equals(c.zone)
                && fiscalYearStart == c.fiscalYearStart && process.equals(c.process) && wonShare == c.wonShare
                && lostShare == c.lostShare && openShare == c.openShare && fullChildren == c.fullChildren;
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, opportunities, managers, departments, divisionsPerDepartment, groupsPerDivision,
                shareOfManagersInTwoGroups, currencyWeights, reportingCurrency, start, months, asOfDate, zone, fiscalYearStart,
                process, wonShare, lostShare, openShare, fullChildren);
    }

    @Override
    public String toString() {
        return "GeneratorConfig[seed=" + seed + ", opportunities=" + opportunities + ", managers=" + managers
                + ", groups=" + departments + "x" + divisionsPerDepartment + "x" + groupsPerDivision
                + ", twoGroups=" + shareOfManagersInTwoGroups + ", currencies=" + currencyWeights + ", reporting="
                + reportingCurrency + ", range=" + start + "+" + months + "m asOf " + asOfDate + " " + zone + ", process=" + process.id()
                + ", won/lost/open=" + wonShare + "/" + lostShare + "/" + openShare + ", fullChildren="
                + fullChildren + "]";
    }

    /** Collects the settings; {@link #build()} validates them all. */
    public static final class Builder {
        private long seed = 42;
        private long opportunities = 100_000;
        private int managers = 200;
        private int departments = 3;
        private int divisionsPerDepartment = 2;
        private int groupsPerDivision = 3;
        private double shareOfManagersInTwoGroups = 0.05;
        private final Map<CurrencyUnit, Double> currencyWeights = new LinkedHashMap<>(defaultCurrencies());
        private boolean currenciesGiven;
        private CurrencyUnit reportingCurrency = Amounts.currency("EUR");
        private LocalDate start = LocalDate.of(2026, 1, 1);
        private int months = 12;
        private LocalDate asOfDate;
        private ZoneId zone = ZoneOffset.UTC;
        private Month fiscalYearStart = Month.JANUARY;
        private SalesProcess process = SalesProcesses.corporateSales(ProcessMode.FREE);
        private double wonShare = 0.25;
        private double lostShare = 0.35;
        private double openShare = 0.40;
        private boolean fullChildren;

        private Builder() {
        }

        /**
         * Sets the seed.
         *
         * @param value any value
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Sets the number of opportunities.
         *
         * @param value at least 0
         * @return this builder
         */
        public Builder opportunities(long value) {
            this.opportunities = value;
            return this;
        }

        /**
         * Sets the number of managers.
         *
         * @param value 1–1,000,000
         * @return this builder
         */
        public Builder managers(int value) {
            this.managers = value;
            return this;
        }

        /**
         * Sets the shape of the hierarchy company → departments → divisions → groups.
         *
         * @param departmentCount departments under the company, at least 1
         * @param divisionsPerDepartmentCount divisions in each department, at least 1
         * @param groupsPerDivisionCount groups in each division, at least 1
         * @return this builder
         */
        public Builder hierarchy(int departmentCount, int divisionsPerDepartmentCount, int groupsPerDivisionCount) {
            this.departments = departmentCount;
            this.divisionsPerDepartment = divisionsPerDepartmentCount;
            this.groupsPerDivision = groupsPerDivisionCount;
            return this;
        }

        /**
         * Sets the share of managers who are members of two groups.
         *
         * @param value 0–1; above 0 needs at least two groups
         * @return this builder
         */
        public Builder shareOfManagersInTwoGroups(double value) {
            this.shareOfManagersInTwoGroups = value;
            return this;
        }

        /**
         * Adds an opportunity currency with a weight. The first call on a builder replaces the
         * currencies it holds (the defaults, or those of the configuration it was made from).
         *
         * @param code ISO-4217 code
         * @param weight relative weight, positive
         * @return this builder
         * @throws ValidationException when the code is unknown
         */
        public Builder currency(String code, double weight) {
            CurrencyUnit currency = Amounts.currency(code);
            if (!currenciesGiven) {
                currencyWeights.clear();
                currenciesGiven = true;
            }
            currencyWeights.put(currency, weight);
            return this;
        }

        /**
         * Sets the reporting currency.
         *
         * @param code ISO-4217 code
         * @return this builder
         * @throws ValidationException when the code is unknown
         */
        public Builder reportingCurrency(String code) {
            this.reportingCurrency = Amounts.currency(code);
            return this;
        }

        /**
         * Sets the date range.
         *
         * @param startDate first day
         * @param monthCount length in months, 1–120
         * @return this builder
         */
        public Builder range(LocalDate startDate, int monthCount) {
            this.start = startDate;
            this.months = monthCount;
            return this;
        }

        /**
         * Sets the snapshot day; by default three quarters into the range (for 12 months from
         * January: October 1st).
         *
         * @param value a day after the range start and not after its end, or null for the default
         * @return this builder
         */
        public Builder asOfDate(LocalDate value) {
            this.asOfDate = value;
            return this;
        }

        /**
         * Sets the time zone.
         *
         * @param value the zone
         * @return this builder
         */
        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        /**
         * Sets the first month of the fiscal year.
         *
         * @param value the month
         * @return this builder
         */
        public Builder fiscalYearStart(Month value) {
            this.fiscalYearStart = value;
            return this;
        }

        /**
         * Sets the process.
         *
         * @param value the process; {@link ProcessMode#FREE} lets histories skip stages
         * @return this builder
         */
        public Builder process(SalesProcess value) {
            this.process = value;
            return this;
        }

        /**
         * Sets the outcome shares.
         *
         * @param won share of won, 0–1
         * @param lost share of lost, 0–1
         * @param open share of open, 0–1
         * @return this builder
         */
        public Builder outcomeShares(double won, double lost, double open) {
            this.wonShare = won;
            this.lostShare = lost;
            this.openShare = open;
            return this;
        }

        /**
         * Turns the heavy children on or off.
         *
         * @param value true for competitors, participants, leads, product lines and history
         * @return this builder
         */
        public Builder fullChildren(boolean value) {
            this.fullChildren = value;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @return the configuration
         * @throws ValidationException naming the first setting that breaks a rule
         */
        public GeneratorConfig build() {
            ValidationException.require(opportunities >= 0, "opportunities", opportunities, "a count >= 0");
            ValidationException.require(managers >= 1 && managers <= 1_000_000, "managers", managers,
                    "between 1 and 1,000,000");
            ValidationException.require(departments >= 1, "departments", departments, "at least 1");
            ValidationException.require(divisionsPerDepartment >= 1, "divisionsPerDepartment", divisionsPerDepartment,
                    "at least 1");
            ValidationException.require(groupsPerDivision >= 1, "groupsPerDivision", groupsPerDivision, "at least 1");
            ValidationException.require((long) departments * divisionsPerDepartment * groupsPerDivision <= 100_000,
                    "groups", (long) departments * divisionsPerDepartment * groupsPerDivision, "at most 100,000 groups");
            ValidationException.require(shareOfManagersInTwoGroups >= 0 && shareOfManagersInTwoGroups <= 1,
                    "shareOfManagersInTwoGroups", shareOfManagersInTwoGroups, "between 0 and 1");
            ValidationException.require(shareOfManagersInTwoGroups == 0
                    || departments * divisionsPerDepartment * groupsPerDivision >= 2, "shareOfManagersInTwoGroups",
                    shareOfManagersInTwoGroups, "0 when there is only one group");
            for (Map.Entry<CurrencyUnit, Double> e : currencyWeights.entrySet()) {
                ValidationException.require(e.getValue() > 0 && Double.isFinite(e.getValue()),
                        "currency." + e.getKey().getCurrencyCode(), e.getValue(), "a positive, finite weight");
            }
            ValidationException.requireNonNull(reportingCurrency, "reportingCurrency");
            ValidationException.requireNonNull(start, "start");
            ValidationException.require(months >= 1 && months <= 120, "months", months, "between 1 and 120");
            LocalDate asOf = asOfDate != null ? asOfDate : defaultAsOf(start, months);
            ValidationException.require(asOf.isAfter(start) && !asOf.isAfter(start.plusMonths(months)), "asOfDate",
                    asOf, "a day after the start " + start + " and not after the end " + start.plusMonths(months));
            ValidationException.requireNonNull(zone, "zone");
            ValidationException.requireNonNull(fiscalYearStart, "fiscalYearStart");
            ValidationException.requireNonNull(process, "process");
            requireShare("wonShare", wonShare);
            requireShare("lostShare", lostShare);
            requireShare("openShare", openShare);
            ValidationException.require(Math.abs(wonShare + lostShare + openShare - 1.0) < 1e-9, "outcomeShares",
                    wonShare + "/" + lostShare + "/" + openShare, "shares that add up to 1");
            return new GeneratorConfig(this);
        }

        private static void requireShare(String field, double value) {
            ValidationException.require(value >= 0 && value <= 1, field, value, "between 0 and 1");
        }
    }
}
