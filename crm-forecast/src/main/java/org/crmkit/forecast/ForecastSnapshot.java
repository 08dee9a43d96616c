package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.forecast.internal.BernoulliSums;
import org.crmkit.forecast.spi.ProbabilityModel;
import org.crmkit.funnel.OverduePolicy;

/**
 * A set of opportunities classified once by a {@link ForecastEngine}: one {@link ForecastLine}
 * per open or won opportunity, and per owner a set of mergeable cells keyed by (period,
 * category, currency, rate date) holding exact sums in minor units (count, amount, amount ×
 * basis points). A node's figures are the merge of its distinct members' cells, each cell
 * converted once to the reporting currency with an exact product, so a node counts each
 * opportunity once and the forecast of a partition sums exactly to the forecast of the whole.
 *
 * <p>Sums are exact {@code long}s: one opportunity's weighted value (amount × basis points)
 * always fits, because the model bounds every amount ({@link org.crmkit.core.StoreLimits});
 * a sum of very many large ones that would leave the range is an
 * {@link AmountOverflowException} naming the figure, never a wrong figure.
 *
 * <p>Immutable and thread-safe.
 */
public final class ForecastSnapshot {
    private static final double[] QUANTILES = {0.10, 0.50, 0.90};

    private record CellKey(Period period, ForecastCategory category, CurrencyUnit currency, LocalDate rateDate) {
    }

    /** A group of open deals that share currency, rate date and probability (for exact moments). */
    private record MomentKey(CurrencyUnit currency, LocalDate rateDate, int basisPoints) {
    }

    /**
     * Per owner, beside its lines and in the same order: the value in minor units of the
     * opportunity currency, the value in minor units of the reporting currency (rounded
     * half-even when converted; used only to place percentiles) and the currency. Kept as
     * columns so a distribution over 100k deals scans primitives, not decimals.
     */
    private static final class Columns {
        private long[] minor = new long[8];
        private long[] reportingMinor = new long[8];
        private CurrencyUnit[] currency = new CurrencyUnit[8];
        private int size;

        void add(long value, long reportingValue, CurrencyUnit unit) {
            if (size == minor.length) {
                minor = java.util.Arrays.copyOf(minor, size * 2);
                reportingMinor = java.util.Arrays.copyOf(reportingMinor, size * 2);
                currency = java.util.Arrays.copyOf(currency, size * 2);
            }
            minor[size] = value;
            reportingMinor[size] = reportingValue;
            currency[size] = unit;
            size++;
        }
    }

    private final ForecastConfig config;
    private final CurrencyConverter converter;
    private final LocalDate asOf;
    private final String modelName;
    private final ConversionBasis conversion;
    private final List<ForecastLine> lines;
    private final Map<ManagerId, List<ForecastLine>> linesByOwner;
    private final Map<ManagerId, Columns> columnsByOwner;
    private final Map<ManagerId, Map<CellKey, long[]>> cellsByOwner;

    private ForecastSnapshot(ForecastConfig config, CurrencyConverter converter, LocalDate asOf, String modelName,
            List<ForecastLine> lines, Map<ManagerId, List<ForecastLine>> linesByOwner,
            Map<ManagerId, Columns> columnsByOwner, Map<ManagerId, Map<CellKey, long[]>> cellsByOwner) {
        this.config = config;
        this.converter = converter;
        this.asOf = asOf;
        this.modelName = modelName;
        this.conversion = new ConversionBasis(config.reportingCurrency().getCurrencyCode(), config.openRatePolicy(),
                openRateDate(config, asOf));
        this.lines = lines;
        this.linesByOwner = linesByOwner;
        this.columnsByOwner = columnsByOwner;
        this.cellsByOwner = cellsByOwner;
    }

    private static LocalDate openRateDate(ForecastConfig config, LocalDate asOf) {
        return config.openRatePolicy() == ForecastConfig.OpenRatePolicy.BUDGET_RATE ? config.budgetRateDate() : asOf;
    }

    static ForecastSnapshot build(ForecastConfig config, ProbabilityModel model, CurrencyConverter converter,
            Map<ProcessId, SalesProcess> processes, Collection<Opportunity> opportunities, LocalDate asOf) {
        CurrencyUnit reporting = config.reportingCurrency();
        LocalDate openRateDate = openRateDate(config, asOf);
        Map<LocalDate, Period> periodOfDay = new HashMap<>();
        Period current = config.calendar().periodOf(config.periodType(), asOf);
        List<ForecastLine> lines = new ArrayList<>(opportunities.size());
        Map<ManagerId, List<ForecastLine>> byOwner = new HashMap<>();
        Map<ManagerId, Columns> columns = new HashMap<>();
        int reportingDigits = Amounts.fractionDigits(reporting);
        Map<ManagerId, Map<CellKey, long[]>> cells = new HashMap<>();
        for (Opportunity o : opportunities) {
            OpportunityStatus status = o.status();
            if (status == OpportunityStatus.LOST) {
                continue;
            }
            CurrencyUnit currency = o.currency();
            int digits = Amounts.fractionDigits(currency);
            long minor;
            int bp;
            ForecastCategory category;
            boolean byHand = false;
            boolean overdue = false;
            ForecastLine.ValueBasis basis;
            LocalDate rateDate;
            Period period;
            if (status == OpportunityStatus.WON) {
                LocalDate closeDate = o.closeInfo().orElseThrow().closeDate();
                minor = Amounts.toMinorUnits(o.closeInfo().orElseThrow().actualRevenue());
                bp = ProbabilityModel.ONE;
                category = ForecastCategory.CLOSED;
                basis = ForecastLine.ValueBasis.ACTUAL_REVENUE;
                rateDate = closeDate;
                // the period of a close is cut from its closing transition in the calendar's zone,
                // as the funnel's is (Opportunity.closedAt), not from the recorded close date
                period = periodOfDay.computeIfAbsent(config.calendar().dateOf(o.closedAt().orElseThrow()),
                        d -> config.calendar().periodOf(config.periodType(), d));
            } else {
                SalesProcess process = processes.get(o.processId());
                if (process == null) {
                    throw new NotFoundException("process", o.processId().value());
                }
                bp = model.probabilityBasisPoints(o, process);
                ValidationException.require(bp >= 0 && bp <= ProbabilityModel.ONE,
                        "probability(" + model.name() + ", " + o.id().value() + ")", bp, "basis points 0..10000");
                ForecastCategory set = o.forecastCategory().orElse(null);
                if (set != null && set != ForecastCategory.CLOSED) {
                    category = set;
                    byHand = true;
                } else {
                    category = config.thresholds().categoryOf(bp);
                }
                MonetaryAmount value = o.amount().orElse(null);
                basis = ForecastLine.ValueBasis.AMOUNT;
                if (value == null && config.valuePolicy() == ForecastConfig.ValuePolicy.AMOUNT_OR_BUDGET) {
                    value = o.budget().orElse(null);
                    basis = ForecastLine.ValueBasis.BUDGET;
                }
                if (value == null) {
                    basis = ForecastLine.ValueBasis.NONE;
                }
                minor = value == null ? 0 : Amounts.toMinorUnits(value);
                rateDate = openRateDate;
                LocalDate close = o.expectedCloseDate();
                overdue = close.isBefore(asOf);
                period = overdue && config.overduePolicy() == OverduePolicy.CURRENT_PERIOD ? current
                        : periodOfDay.computeIfAbsent(close, d -> config.calendar().periodOf(config.periodType(), d));
            }
            long weighted = AmountOverflowException.multiply(minor, bp, "weighted amount (" + currency + ")");
            long[] cell = cells.computeIfAbsent(o.owner(), k -> new HashMap<>())
                    .computeIfAbsent(new CellKey(period, category, currency, rateDate), k -> new long[3]);
            cell[0]++;
            cell[1] = AmountOverflowException.add(cell[1], minor, "forecast amount (" + currency + ")");
            cell[2] = AmountOverflowException.add(cell[2], weighted, "weighted amount (" + currency + ")");
            BigDecimal rate = converter.rate(currency, reporting, rateDate);
            BigDecimal original = BigDecimal.valueOf(minor, digits);
            ForecastLine line = new ForecastLine(o.id(), o.owner(), status, period, overdue, category, byHand, bp,
                    basis, currency.getCurrencyCode(), original, rateDate, convert(original, rate),
                    convert(BigDecimal.valueOf(weighted, digits + 4), rate));
            lines.add(line);
            byOwner.computeIfAbsent(o.owner(), k -> new ArrayList<>()).add(line);
            long reportingMinor = currency.equals(reporting) ? minor
                    : line.amount().setScale(reportingDigits, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
            columns.computeIfAbsent(o.owner(), k -> new Columns()).add(minor, reportingMinor, currency);
        }
        Map<ManagerId, List<ForecastLine>> frozenLines = new HashMap<>();
        byOwner.forEach((k, v) -> frozenLines.put(k, Collections.unmodifiableList(v)));
        return new ForecastSnapshot(config, converter, asOf, model.name(), Collections.unmodifiableList(lines),
                Map.copyOf(frozenLines), Map.copyOf(columns), Map.copyOf(cells));
    }

    private static BigDecimal convert(BigDecimal value, BigDecimal rate) {
        return rate.compareTo(BigDecimal.ONE) == 0 ? value : value.multiply(rate);
    }

    /**
     * The as-of date.
     *
     * @return the date overdue deals are judged and open rates taken against
     */
    public LocalDate asOf() {
        return asOf;
    }

    /**
     * How figures are converted.
     *
     * @return the conversion basis
     */
    public ConversionBasis conversion() {
        return conversion;
    }

    /**
     * Every line, in the order of the opportunities given (lost ones left out).
     *
     * @return the lines, unmodifiable
     */
    public List<ForecastLine> lines() {
        return lines;
    }

    /**
     * The lines of the opportunities owned by a node's distinct members.
     *
     * @param org the org structure
     * @param node the node
     * @return the lines, unmodifiable
     * @throws NotFoundException when the node is unknown
     */
    public List<ForecastLine> lines(OrgStructure org, OrgNodeId node) {
        List<ForecastLine> out = new ArrayList<>();
        for (ManagerId m : org.membersOf(node)) {
            out.addAll(linesByOwner.getOrDefault(m, List.of()));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The forecast of every opportunity of the snapshot.
     *
     * @return the forecast per period
     */
    public Forecast forecast() {
        return forecastOf(cellsByOwner.keySet());
    }

    /**
     * The forecast of a node: the opportunities of its distinct members, each counted once.
     *
     * @param org the org structure
     * @param node a manager or unit
     * @return the forecast per period
     * @throws NotFoundException when the node is unknown
     */
    public Forecast forecast(OrgStructure org, OrgNodeId node) {
        return forecastOf(org.membersOf(Objects.requireNonNull(node, "node")));
    }

    /**
     * The forecast of the opportunities of a set of owners.
     *
     * @param owners the owners
     * @return the forecast per period
     */
    public Forecast forecastOf(Set<ManagerId> owners) {
        Objects.requireNonNull(owners, "owners");
        TreeMap<Period, PeriodForecast> periods = periodForecasts(owners);
        long count = 0;
        for (PeriodForecast p : periods.values()) {
            count += p.closed().count() + p.openPipeline().count() + p.omitted().count();
        }
        return new Forecast(asOf, modelName, conversion, config.periodType(), count, new ArrayList<>(periods.values()));
    }

    private Map<CellKey, long[]> merged(Set<ManagerId> owners) {
        Map<CellKey, long[]> out = new HashMap<>();
        for (ManagerId m : owners) {
            Map<CellKey, long[]> cells = cellsByOwner.get(m);
            if (cells == null) {
                continue;
            }
            cells.forEach((k, v) -> {
                long[] acc = out.computeIfAbsent(k, x -> new long[3]);
                acc[0] = AmountOverflowException.add(acc[0], v[0], "opportunity count");
                acc[1] = AmountOverflowException.add(acc[1], v[1], "forecast amount (" + k.currency() + ")");
                acc[2] = AmountOverflowException.add(acc[2], v[2], "weighted amount (" + k.currency() + ")");
            });
        }
        return out;
    }

    private TreeMap<Period, PeriodForecast> periodForecasts(Set<ManagerId> owners) {
        CurrencyUnit reporting = config.reportingCurrency();
        TreeMap<Period, Map<ForecastCategory, Figure>> figures = new TreeMap<>();
        for (Map.Entry<CellKey, long[]> e : merged(owners).entrySet()) {
            CellKey k = e.getKey();
            long[] v = e.getValue();
            int digits = Amounts.fractionDigits(k.currency());
            BigDecimal rate = converter.rate(k.currency(), reporting, k.rateDate());
            Figure f = new Figure(v[0], convert(BigDecimal.valueOf(v[1], digits), rate),
                    convert(BigDecimal.valueOf(v[2], digits + 4), rate));
            figures.computeIfAbsent(k.period(), p -> new EnumMap<>(ForecastCategory.class))
                    .merge(k.category(), f, Figure::plus);
        }
        TreeMap<Period, PeriodForecast> out = new TreeMap<>();
        figures.forEach((p, m) -> out.put(p, PeriodForecast.of(p, m.getOrDefault(ForecastCategory.CLOSED, Figure.ZERO),
                m.getOrDefault(ForecastCategory.COMMIT, Figure.ZERO),
                m.getOrDefault(ForecastCategory.BEST_CASE, Figure.ZERO),
                m.getOrDefault(ForecastCategory.PIPELINE, Figure.ZERO),
                m.getOrDefault(ForecastCategory.OMITTED, Figure.ZERO))));
        return out;
    }

    private void requireAligned(Period period) {
        Objects.requireNonNull(period, "period");
        boolean aligned = config.calendar().periodOf(config.periodType(), period.start()).start().equals(period.start())
                && config.calendar().periodOf(config.periodType(), period.lastDay()).end().equals(period.end());
        ValidationException.require(aligned, "period", period,
                "a period made of whole " + config.periodType() + " periods of the forecast calendar");
    }

    private PeriodForecast periodForecast(Set<ManagerId> owners, Period period) {
        requireAligned(period);
        PeriodForecast sum = PeriodForecast.empty(period);
        for (PeriodForecast p : periodForecasts(owners).values()) {
            if (!p.period().start().isBefore(period.start()) && !p.period().end().isAfter(period.end())) {
                sum = sum.plus(PeriodForecast.of(period, p.closed(), p.commit(), p.bestCase(), p.pipeline(),
                        p.omitted()));
            }
        }
        return sum;
    }

    /**
     * The forecast of a node for one period, which may span several buckets (a year of a
     * quarterly forecast) but must be made of whole ones.
     *
     * @param org the org structure
     * @param node the node
     * @param period the period
     * @return the forecast, zero when nothing falls in it
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when the node is unknown
     */
    public PeriodForecast periodForecast(OrgStructure org, OrgNodeId node, Period period) {
        return periodForecast(org.membersOf(node), period);
    }

    /**
     * The roll-up of a node and everything below it, with the managers' adjustments beside
     * the computed figures. Each node's figures come from its own distinct members; an
     * adjustment belongs to the node it names and never changes a computed figure, its own
     * or its parent's.
     *
     * @param org the org structure
     * @param node the top node
     * @param adjustments adjustments of any nodes (those of other nodes are ignored)
     * @return the roll-up tree
     * @throws ValidationException when an adjustment is not in the reporting currency or its period is not aligned
     * @throws NotFoundException when the node is unknown
     */
    public NodeForecast rollUp(OrgStructure org, OrgNodeId node, Collection<ForecastAdjustment> adjustments) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(adjustments, "adjustments");
        String reporting = config.reportingCurrency().getCurrencyCode();
        Map<OrgNodeId, List<ForecastAdjustment>> byNode = new HashMap<>();
        for (ForecastAdjustment a : adjustments) {
            ValidationException.require(a.currency().equals(reporting), "adjustment.currency", a.currency(),
                    "the reporting currency " + reporting);
            requireAligned(a.period());
            byNode.computeIfAbsent(a.node(), k -> new ArrayList<>()).add(a);
        }
        return rollUp(org, node, byNode);
    }

    private NodeForecast rollUp(OrgStructure org, OrgNodeId node, Map<OrgNodeId, List<ForecastAdjustment>> byNode) {
        Set<ManagerId> owners = org.membersOf(node);
        TreeMap<Period, PeriodForecast> computed = periodForecasts(owners);
        List<ForecastAdjustment> own = new ArrayList<>(byNode.getOrDefault(node, List.of()));
        own.sort(Comparator.comparing(ForecastAdjustment::at));
        Map<Period, List<ForecastAdjustment>> ownByPeriod = new TreeMap<>();
        for (ForecastAdjustment a : own) {
            ownByPeriod.computeIfAbsent(a.period(), k -> new ArrayList<>()).add(a);
        }
        TreeSet<Period> allPeriods = new TreeSet<>(computed.keySet());
        allPeriods.addAll(ownByPeriod.keySet());
        List<NodePeriodForecast> periods = new ArrayList<>();
        for (Period p : allPeriods) {
            PeriodForecast pf = computed.containsKey(p) ? computed.get(p) : periodForecast(owners, p);
            List<AdjustedFigure> adjusted = new ArrayList<>();
            Map<ForecastFigure, List<ForecastAdjustment>> byFigure = new EnumMap<>(ForecastFigure.class);
            for (ForecastAdjustment a : ownByPeriod.getOrDefault(p, List.of())) {
                byFigure.computeIfAbsent(a.figure(), k -> new ArrayList<>()).add(a);
            }
            byFigure.forEach((f, list) -> adjusted.add(new AdjustedFigure(f, pf.value(f),
                    list.get(list.size() - 1).value(), list)));
            periods.add(new NodePeriodForecast(pf, adjusted));
        }
        List<NodeForecast> children = new ArrayList<>();
        if (node instanceof UnitId unit) {
            for (OrgNodeId child : org.childrenOf(unit)) {
                children.add(rollUp(org, child, byNode));
            }
        }
        return new NodeForecast(node, org.nameOf(node), owners.size(), conversion, periods, children);
    }

    /**
     * Plan vs actual vs forecast of a node for a period, with large deals.
     *
     * @param org the org structure
     * @param node the node
     * @param period the period of the plan, made of whole forecast buckets
     * @param plans the plans (of any nodes and periods); plans in another currency convert at the open rate
     * @return the comparison
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when the node is unknown
     * @throws org.crmkit.core.MissingExchangeRateException when a plan's rate is missing
     */
    public PlanVsActual planVsActual(OrgStructure org, OrgNodeId node, Period period, Collection<SalesPlan> plans) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(plans, "plans");
        Set<ManagerId> owners = org.membersOf(node);
        PeriodForecast pf = periodForecast(owners, period);
        Map<OrgNodeId, SalesPlan> plansOfPeriod = new HashMap<>();
        for (SalesPlan p : plans) {
            if (p.period().start().equals(period.start()) && p.period().end().equals(period.end())) {
                plansOfPeriod.put(p.node(), p);
            }
        }
        PlanResolution.Resolved resolved = PlanResolution.resolve(config, org, node, plansOfPeriod, this::toReporting);
        BigDecimal plan = resolved.plan();
        BigDecimal actual = pf.actual();
        BigDecimal weighted = pf.weightedOpen();
        BigDecimal projected = pf.projected();
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal attainment = null;
        BigDecimal projectedAttainment = null;
        BigDecimal remaining = null;
        BigDecimal gap = null;
        BigDecimal coverage = null;
        BigDecimal unweightedCoverage = null;
        BigDecimal threshold = null;
        List<ForecastLine> large = new ArrayList<>();
        BigDecimal largeWeighted = BigDecimal.ZERO;
        if (plan != null) {
            if (plan.signum() > 0) {
                attainment = actual.divide(plan, mc);
                projectedAttainment = projected.divide(plan, mc);
            }
            remaining = plan.subtract(actual);
            gap = plan.subtract(projected);
            if (remaining.signum() > 0) {
                coverage = weighted.divide(remaining, mc);
                unweightedCoverage = pf.openPipeline().amount().divide(remaining, mc);
            }
            threshold = plan.multiply(config.largeDealShare());
            for (ManagerId m : owners) {
                for (ForecastLine l : linesByOwner.getOrDefault(m, List.of())) {
                    if (l.countsInWeightedOpen() && within(l.period(), period) && l.amount().compareTo(threshold) > 0) {
                        large.add(l);
                        largeWeighted = largeWeighted.add(l.expected());
                    }
                }
            }
            large.sort(Comparator.comparing(ForecastLine::amount).reversed()
                    .thenComparing(l -> l.id().value()));
        }
        BigDecimal weightedWithout = weighted.subtract(largeWeighted);
        return new PlanVsActual(node, period, conversion, plan, resolved.source(), pf, actual, weighted, projected,
                attainment, projectedAttainment, remaining, gap, coverage, unweightedCoverage, threshold, large,
                weightedWithout, actual.add(weightedWithout));
    }

    private static boolean within(Period inner, Period outer) {
        return !inner.start().isBefore(outer.start()) && !inner.end().isAfter(outer.end());
    }

    private BigDecimal toReporting(MonetaryAmount amount) {
        return converter.convert(Amounts.decimal(amount), amount.getCurrency(), config.reportingCurrency(),
                conversion.openRateDate());
    }

    /**
     * The revenue distribution of every opportunity of the snapshot in a period.
     *
     * @param period the period, made of whole forecast buckets
     * @return the distribution
     * @throws ValidationException when the period does not align with the buckets
     */
    public RevenueDistribution distribution(Period period) {
        return distributionOf(cellsByOwner.keySet(), period);
    }

    /**
     * The revenue distribution of a node in a period.
     *
     * @param org the org structure
     * @param node the node
     * @param period the period, made of whole forecast buckets
     * @return the distribution
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when the node is unknown
     */
    public RevenueDistribution distribution(OrgStructure org, OrgNodeId node, Period period) {
        return distributionOf(org.membersOf(node), period);
    }

    private RevenueDistribution distributionOf(Set<ManagerId> owners, Period period) {
        requireAligned(period);
        CurrencyUnit reporting = config.reportingCurrency();
        int digits = Amounts.fractionDigits(reporting);
        int n = 0;
        for (ManagerId m : owners) {
            for (ForecastLine l : linesByOwner.getOrDefault(m, List.of())) {
                if (l.countsInWeightedOpen() && within(l.period(), period)) {
                    n++;
                }
            }
        }
        long[] amounts = new long[n];
        int[] bps = new int[n];
        // Per group: sum of minor units, and the sum of their squares as a 128-bit integer.
        Map<MomentKey, long[]> moments = new HashMap<>();
        BigDecimal actual = BigDecimal.ZERO;
        int i = 0;
        for (ManagerId m : sorted(owners)) {
            List<ForecastLine> ls = linesByOwner.getOrDefault(m, List.of());
            Columns c = columnsByOwner.get(m);
            for (int j = 0; j < ls.size(); j++) {
                ForecastLine l = ls.get(j);
                if (!within(l.period(), period)) {
                    continue;
                }
                if (l.status() == OpportunityStatus.WON) {
                    actual = actual.add(l.amount());
                } else if (l.countsInWeightedOpen()) {
                    int bp = l.probabilityBasisPoints();
                    long minor = c.minor[j];
                    long[] g = moments.computeIfAbsent(new MomentKey(c.currency[j], l.rateDate(), bp),
                            k -> new long[3]);
                    g[0] = AmountOverflowException.add(g[0], minor, "distribution amount (" + c.currency[j] + ")");
                    long lo = minor * minor;
                    long sumLo = g[2] + lo;
                    long carry = Long.compareUnsigned(sumLo, g[2]) < 0 ? 1 : 0;
                    g[1] = AmountOverflowException.add(g[1], Math.multiplyHigh(minor, minor) + carry,
                            "sum of squared amounts (" + c.currency[j] + ")");
                    g[2] = sumLo;
                    amounts[i] = c.reportingMinor[j];
                    bps[i] = bp;
                    i++;
                }
            }
        }
        BigDecimal mean = actual;
        BigDecimal variance = BigDecimal.ZERO;
        for (Map.Entry<MomentKey, long[]> e : moments.entrySet()) {
            MomentKey k = e.getKey();
            long[] g = e.getValue();
            int d = Amounts.fractionDigits(k.currency());
            BigDecimal rate = converter.rate(k.currency(), reporting, k.rateDate());
            int bp = k.basisPoints();
            mean = mean.add(BigDecimal.valueOf(g[0]).multiply(BigDecimal.valueOf(bp)).multiply(rate)
                    .movePointLeft(d + 4));
            java.math.BigInteger squares = java.math.BigInteger.valueOf(g[1]).shiftLeft(64)
                    .add(new java.math.BigInteger(Long.toUnsignedString(g[2])));
            // Σ a² · p(1−p) = Σ minor² · rate² · bp(10000 − bp) · 10^-(2d + 8), exact.
            variance = variance.add(new BigDecimal(squares).multiply(BigDecimal.valueOf((long) bp * (10_000 - bp)))
                    .multiply(rate).multiply(rate).movePointLeft(2 * d + 8));
        }
        BernoulliSums.Result r = BernoulliSums.percentiles(amounts, bps, QUANTILES, config.exactWorkLimit(),
                config.monteCarloTrials(), config.seed());
        BigDecimal p10 = actual.add(BigDecimal.valueOf(r.percentiles()[0], digits));
        BigDecimal p50 = actual.add(BigDecimal.valueOf(r.percentiles()[1], digits));
        BigDecimal p90 = actual.add(BigDecimal.valueOf(r.percentiles()[2], digits));
        double unit = Math.pow(10, -digits);
        boolean mc = !r.exact();
        return new RevenueDistribution(period, reporting.getCurrencyCode(),
                mc ? RevenueDistribution.Method.MONTE_CARLO : RevenueDistribution.Method.EXACT, n, actual,
                mean, variance, Math.sqrt(variance.doubleValue()), p10, p50, p90, mc ? r.trials() : 0,
                mc ? config.seed() : null,
                mc ? actual.doubleValue() + r.sampleMean() * unit : null,
                mc ? r.sampleVariance() * unit * unit : null);
    }

    // The order of the terms fixes which random numbers each deal draws: sort owners so the
    // same data gives the same Monte Carlo result however the owner set was built.
    private static List<ManagerId> sorted(Set<ManagerId> owners) {
        List<ManagerId> out = new ArrayList<>(owners);
        Collections.sort(out);
        return out;
    }

    @Override
    public String toString() {
        return "ForecastSnapshot[asOf=" + asOf + ", model=" + modelName + ", " + lines.size() + " lines, "
                + cellsByOwner.size() + " owners, " + conversion + "]";
    }
}
