package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.forecast.internal.CumulativeIncidence;

/**
 * Open deals placed in future months by a {@link TimeToCloseModel}, beside the close-date
 * forecast of {@link ForecastSnapshot}. Made by {@link ForecastEngine#timingForecast}; reads each
 * opportunity's state as of the model's as-of instant from its stage history (so a model as of a
 * past month start gives that day's forecast), values it by the engine's value policy (amount,
 * or budget when unknown) and converts at the engine's open rate.
 *
 * <p>Per owner it keeps exact sums in minor units × millionths per (month, currency); a node's
 * figures are the sums of its distinct members', so a deal counts once per node and a
 * partition adds up exactly. Immutable and thread-safe.
 */
public final class TimingForecast {
    private static final long PPM = 1_000_000L;

    /** Per owner: sums per currency (slots: months, later, unresolved) and win counts. */
    private static final class OwnerSums {
        final Map<CurrencyUnit, long[]> revenue = new HashMap<>();
        final Map<CurrencyUnit, long[]> unmodelled = new HashMap<>();
        final long[] wins;
        long deals;
        long unmodelledDeals;
        final long[] openByStage;

        OwnerSums(int months, int stages) {
            wins = new long[months + 1];
            openByStage = new long[stages];
        }
    }

    private final ForecastConfig config;
    private final CurrencyConverter converter;
    private final TimeToCloseModel model;
    private final List<Period> months;
    private final LocalDate rateDate;
    private final ConversionBasis conversion;
    private final Map<ManagerId, OwnerSums> owners;

    private TimingForecast(ForecastConfig config, CurrencyConverter converter, TimeToCloseModel model,
            List<Period> months, Map<ManagerId, OwnerSums> owners) {
        this.config = config;
        this.converter = converter;
        this.model = model;
        this.months = List.copyOf(months);
        this.rateDate = config.openRatePolicy() == ForecastConfig.OpenRatePolicy.BUDGET_RATE ? config.budgetRateDate()
                : model.asOfDate();
        this.conversion = new ConversionBasis(config.reportingCurrency().getCurrencyCode(), config.openRatePolicy(),
                rateDate);
        this.owners = owners;
    }

    static TimingForecast build(ForecastConfig config, CurrencyConverter converter, TimeToCloseModel model,
            Iterable<Opportunity> opportunities, int horizonMonths) {
        ValidationException.require(horizonMonths >= 1 && horizonMonths <= 120, "horizonMonths", horizonMonths,
                "1..120 months");
        LocalDate asOfDate = model.asOfDate();
        List<Period> months = new ArrayList<>();
        Period m = config.calendar().periodOf(PeriodType.MONTH, asOfDate);
        for (int k = 0; k < horizonMonths; k++) {
            months.add(m);
            m = config.calendar().next(m);
        }
        long[] first = new long[horizonMonths];
        long[] last = new long[horizonMonths];
        for (int k = 0; k < horizonMonths; k++) {
            first[k] = Math.max(months.get(k).start().toEpochDay(), asOfDate.toEpochDay());
            last[k] = months.get(k).lastDay().toEpochDay();
        }
        int[] firstRel = new int[horizonMonths];
        int[] lastRel = new int[horizonMonths];
        double[] p = new double[horizonMonths + 3];
        Instant asOf = model.asOf();
        long asOfDay = asOfDate.toEpochDay();
        Map<ManagerId, OwnerSums> owners = new HashMap<>();
        Map<CumulativeIncidence, Map<Long, long[]>> cache = new IdentityHashMap<>();
        for (Opportunity o : opportunities) {
            SalesProcess process = model.processOrNull(o.processId());
            if (process == null) {
                throw new NotFoundException("process", o.processId().value() + " (opportunity " + o.id().value() + ")");
            }
            List<StageTransition> ts = o.transitions();
            StageTransition current = null;
            for (StageTransition t : ts) {
                if (t.at().isAfter(asOf)) {
                    break;
                }
                current = t;
            }
            if (current == null) {
                continue; // created after the as-of instant
            }
            int stage = process.indexOf(current.to());
            if (stage >= process.openStageCount()) {
                continue; // closed as of the as-of instant
            }
            MonetaryAmount value = o.amount().orElse(null);
            if (value == null && config.valuePolicy() == ForecastConfig.ValuePolicy.AMOUNT_OR_BUDGET) {
                value = o.budget().orElse(null);
            }
            long minor = value == null ? 0 : Amounts.toMinorUnits(value);
            CurrencyUnit currency = o.currency();
            OwnerSums sums = owners.computeIfAbsent(o.owner(),
                    k -> new OwnerSums(horizonMonths, process.openStageCount()));
            sums.deals++;
            if (stage < sums.openByStage.length) {
                sums.openByStage[stage]++;
            }
            long entry = model.epochDay(current.at());
            int age = (int) Math.min(TimeToCloseModel.MAX_DAYS, Math.max(0, asOfDay - entry));
            CumulativeIncidence curve = model.curve(process, o.owner(), stage, age);
            if (curve == null) {
                sums.unmodelledDeals++;
                long[] u = sums.unmodelled.computeIfAbsent(currency, k -> new long[1]);
                u[0] = AmountOverflowException.add(u[0], minor, "unmodelled amount", currency);
                continue;
            }
            // Deals on the same curve that entered their stage on the same day have the same
            // probabilities: compute them once per (curve, entry day).
            long[] ppm = cache.computeIfAbsent(curve, k -> new HashMap<>()).computeIfAbsent(entry, e -> {
                for (int k = 0; k < horizonMonths; k++) {
                    firstRel[k] = (int) Math.min(Integer.MAX_VALUE / 2, first[k] - e);
                    lastRel[k] = (int) Math.min(Integer.MAX_VALUE / 2, last[k] - e);
                }
                TimeToCloseModel.winByRange(curve, age, firstRel, lastRel, p);
                long[] out = new long[horizonMonths + 2];
                for (int k = 0; k <= horizonMonths; k++) {
                    out[k] = Math.round(p[k] * PPM);
                }
                out[horizonMonths + 1] = Math.round(p[horizonMonths + 2] * PPM);
                return out;
            });
            long[] r = sums.revenue.computeIfAbsent(currency, k -> new long[horizonMonths + 2]);
            String figure = "expected revenue (" + currency.getCurrencyCode() + ")";
            for (int k = 0; k <= horizonMonths + 1; k++) {
                if (k <= horizonMonths) {
                    sums.wins[k] += ppm[k];
                }
                r[k] = AmountOverflowException.add(r[k], AmountOverflowException.multiply(minor, ppm[k], figure),
                        figure);
            }
        }
        return new TimingForecast(config, converter, model, months, Map.copyOf(owners));
    }

    /**
     * The months of the horizon; the first holds the as-of date.
     *
     * @return the months, in order
     */
    public List<Period> months() {
        return months;
    }

    /**
     * The model the deals were placed by.
     *
     * @return the model
     */
    public TimeToCloseModel model() {
        return model;
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
     * The owners with open deals.
     *
     * @return their ids
     */
    public Set<ManagerId> owners() {
        return owners.keySet();
    }

    /**
     * The forecast of a node: its distinct members' open deals, each once.
     *
     * @param org the org structure
     * @param node a manager or unit
     * @return the expected revenue per month
     * @throws NotFoundException when the node is unknown
     */
    public MeasuredForecast forecast(OrgStructure org, OrgNodeId node) {
        return forecastOf(node, org.membersOf(Objects.requireNonNull(node, "node")));
    }

    /**
     * The forecasts of many nodes (e.g. the company and all its units) from the same per-owner sums.
     *
     * @param org the org structure
     * @param nodes the nodes
     * @return one forecast per node, in the order given
     * @throws NotFoundException when a node is unknown
     */
    public Map<OrgNodeId, MeasuredForecast> forecasts(OrgStructure org, List<? extends OrgNodeId> nodes) {
        Map<OrgNodeId, MeasuredForecast> out = new LinkedHashMap<>();
        for (OrgNodeId n : nodes) {
            out.put(n, forecast(org, n));
        }
        return out;
    }

    /**
     * The forecast of the open deals of a set of owners.
     *
     * @param node the node the result is labelled with
     * @param members its owners
     * @return the expected revenue per month
     */
    public MeasuredForecast forecastOf(OrgNodeId node, Set<ManagerId> members) {
        int h = months.size();
        long[] wins = new long[h + 1];
        Map<CurrencyUnit, long[]> revenue = new HashMap<>();
        Map<CurrencyUnit, long[]> unmodelled = new HashMap<>();
        long deals = 0;
        long unmodelledDeals = 0;
        for (ManagerId m : members) {
            OwnerSums s = owners.get(m);
            if (s == null) {
                continue;
            }
            deals += s.deals;
            unmodelledDeals += s.unmodelledDeals;
            for (int k = 0; k <= h; k++) {
                wins[k] += s.wins[k];
            }
            addAll(revenue, s.revenue, h + 2);
            addAll(unmodelled, s.unmodelled, 1);
        }
        List<ExpectedMonth> out = new ArrayList<>(h);
        for (int k = 0; k < h; k++) {
            out.add(new ExpectedMonth(months.get(k), BigDecimal.valueOf(wins[k], 6), convert(revenue, k, 6)));
        }
        return new MeasuredForecast(node, model.asOfDate(), model.name(), conversion, deals, out,
                BigDecimal.valueOf(wins[h], 6), convert(revenue, h, 6), convert(revenue, h + 1, 6), unmodelledDeals,
                convert(unmodelled, 0, 0));
    }

    /**
     * Open deals of a node's members by open stage index of their process, as of the model's as-of instant.
     *
     * @param org the org structure
     * @param node the node
     * @return counts per stage index (length of the longest process seen)
     */
    public long[] openByStage(OrgStructure org, OrgNodeId node) {
        long[] out = new long[0];
        for (ManagerId m : org.membersOf(node)) {
            OwnerSums s = owners.get(m);
            if (s == null) {
                continue;
            }
            if (s.openByStage.length > out.length) {
                out = java.util.Arrays.copyOf(out, s.openByStage.length);
            }
            for (int i = 0; i < s.openByStage.length; i++) {
                out[i] += s.openByStage[i];
            }
        }
        return out;
    }

    /**
     * The pipeline gap of a node for a coming period: its plan against what the measured timing
     * expects its open pipeline (as of the model's date) to bring in the period, plus what it
     * has won in it so far; with how many of its open deals sit in the early stages (the first
     * {@code max(1, open stages / 2)} of their process), the stages that feed the periods after.
     *
     * @param snapshot a close-date snapshot of the same deals as of the model's date (for the
     *     plan and the revenue won so far, by the same plan rules as {@link PlanVsActual})
     * @param org the org structure
     * @param node the node
     * @param period a period of whole months within the horizon
     * @param plans the plans
     * @return the gap
     * @throws ValidationException when the period is not covered by the horizon
     * @throws NotFoundException when the node is unknown
     */
    public PipelineGap pipelineGap(ForecastSnapshot snapshot, OrgStructure org, OrgNodeId node, Period period,
            Collection<SalesPlan> plans) {
        MeasuredForecast f = forecast(org, node);
        BigDecimal expected = f.expectedRevenue(period);
        PlanVsActual pva = snapshot.planVsActual(org, node, period, plans);
        long early = 0;
        long open = 0;
        long[] byStage = openByStage(org, node);
        int earlyStages = Math.max(1, byStage.length / 2);
        for (int i = 0; i < byStage.length; i++) {
            open += byStage[i];
            if (i < earlyStages) {
                early += byStage[i];
            }
        }
        BigDecimal plan = pva.plan();
        BigDecimal projected = pva.actual().add(expected);
        BigDecimal gap = plan == null ? null : plan.subtract(projected);
        BigDecimal coverage = plan == null || plan.signum() <= 0 ? null
                : projected.divide(plan, java.math.MathContext.DECIMAL64);
        return new PipelineGap(node, period, conversion, plan, pva.actual(), expected, projected, gap, coverage, open,
                early, earlyStages);
    }

    private static void addAll(Map<CurrencyUnit, long[]> into, Map<CurrencyUnit, long[]> from, int width) {
        from.forEach((c, v) -> {
            long[] acc = into.computeIfAbsent(c, k -> new long[width]);
            for (int i = 0; i < width; i++) {
                acc[i] = AmountOverflowException.add(acc[i], v[i], "expected revenue", c.getCurrencyCode());
            }
        });
    }

    private BigDecimal convert(Map<CurrencyUnit, long[]> sums, int slot, int extraDigits) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<CurrencyUnit, long[]> e : sums.entrySet()) {
            long v = e.getValue()[slot];
            if (v == 0) {
                continue;
            }
            BigDecimal value = BigDecimal.valueOf(v, Amounts.fractionDigits(e.getKey()) + extraDigits);
            BigDecimal rate = converter.rate(e.getKey(), config.reportingCurrency(), rateDate);
            total = total.add(rate.compareTo(BigDecimal.ONE) == 0 ? value : value.multiply(rate));
        }
        return total;
    }

    @Override
    public String toString() {
        return "TimingForecast[" + model.name() + ", " + months.size() + " months from " + model.asOfDate() + ", "
                + owners.size() + " owners, " + conversion + "]";
    }
}
