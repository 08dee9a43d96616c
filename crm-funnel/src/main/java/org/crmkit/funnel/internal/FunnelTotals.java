package org.crmkit.funnel.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.funnel.DurationStats;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.StageFigures;
import org.crmkit.funnel.spi.CellKey;
import org.crmkit.funnel.spi.CellMeasures;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.StageTimeKey;

/**
 * The exact sums behind one funnel, filled either from cells ({@link #addCells}) or from
 * per-owner figures of the columnar scan ({@link #add(ManagerId, OwnerFigures)}), then turned
 * into a {@link FunnelResult} ({@link #result}). Both ways fill the same sums, so a funnel
 * computed from cells and one rolled up from owner figures are equal. Money stays in
 * {@code long} minor units per currency until {@link #result} converts each currency's sums
 * once. Not thread-safe.
 */
public final class FunnelTotals {
    private final int n;
    private final int slots;
    private final long[] counts;
    private final List<CurrencyUnit> currencies;
    private final Map<CurrencyUnit, Integer> currencyIndex = new HashMap<>();
    private long[][] money;
    private final DurationAccumulator[] durations;
    /** Owners per stage: distinct by construction from owner figures ... */
    private final List<List<ManagerId>> owners = new ArrayList<>();
    /** ... and de-duplicated through these sets when filled from cells. */
    private final List<HashSet<ManagerId>> cellOwners = new ArrayList<>();

    /**
     * Empty totals.
     *
     * @param openStages the number of open stages of the process
     * @param currencies the currencies whose index the money sums of added owner figures
     *     use (the store's currency codes); more are added as cells bring them
     */
    public FunnelTotals(int openStages, List<CurrencyUnit> currencies) {
        this.n = openStages;
        this.slots = moneySlots(openStages);
        this.counts = new long[countSlots(openStages)];
        this.currencies = new ArrayList<>(currencies);
        for (int c = 0; c < currencies.size(); c++) {
            currencyIndex.put(currencies.get(c), c);
        }
        this.money = new long[currencies.size()][];
        this.durations = new DurationAccumulator[openStages + 2];
        for (int d = 0; d < durations.length; d++) {
            durations[d] = new DurationAccumulator();
        }
        for (int s = 0; s < openStages; s++) {
            owners.add(new ArrayList<>());
            cellOwners.add(new HashSet<>());
        }
    }

    /**
     * The opportunities summed so far.
     *
     * @return the population count
     */
    public long count() {
        return counts[OwnerFigures.COUNT];
    }

    /**
     * The currencies whose sums are not all zero, in the order they were met: the currencies
     * the population's amounts are in.
     *
     * @return the currencies
     */
    public List<CurrencyUnit> currenciesWithAmounts() {
        List<CurrencyUnit> out = new ArrayList<>();
        for (int c = 0; c < money.length; c++) {
            if (money[c] != null && Arrays.stream(money[c]).anyMatch(v -> v != 0)) {
                out.add(currencies.get(c));
            }
        }
        return out;
    }

    /**
     * The number of count slots of {@link OwnerFigures#counts}.
     *
     * @param openStages the number of open stages
     * @return {@code 4 + 3n}
     */
    public static int countSlots(int openStages) {
        return OwnerFigures.REACHED + 3 * openStages;
    }

    /**
     * The number of money slots per currency.
     *
     * @param openStages the number of open stages
     * @return {@code 3n + 3}
     */
    public static int moneySlots(int openStages) {
        return 3 * openStages + 3;
    }

    private long[] moneyOf(CurrencyUnit currency) {
        Integer c = currencyIndex.get(currency);
        if (c == null) {
            c = currencies.size();
            currencies.add(currency);
            currencyIndex.put(currency, c);
            money = Arrays.copyOf(money, c + 1);
        }
        return moneyAt(c);
    }

    private long[] moneyAt(int c) {
        long[] m = money[c];
        if (m == null) {
            m = new long[slots];
            money[c] = m;
        }
        return m;
    }

    /**
     * Adds the cells of a population under the rules of its query.
     *
     * @param cells the cells
     * @param rules the key rules of the query
     * @return this
     */
    public FunnelTotals addCells(FunnelCells cells, KeyRules rules) {
        for (Map.Entry<CellKey, CellMeasures> e : cells.cells().entrySet()) {
            addCell(e.getKey(), e.getValue(), rules);
        }
        for (Map.Entry<StageTimeKey, DurationSummary> e : cells.stageTimes().entrySet()) {
            addStageTime(e.getKey(), e.getValue());
        }
        return this;
    }

    /**
     * Adds one cell under the rules of its query.
     *
     * @param k the cell key
     * @param m the cell measures
     * @param rules the key rules of the query
     */
    public void addCell(CellKey k, CellMeasures m, KeyRules rules) {
        long[] sum = moneyOf(k.currency());
        long c = m.count();
        counts[OwnerFigures.COUNT] += c;
        long mask = rules.reached(k);
        while (mask != 0) {
            int s = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            counts[OwnerFigures.REACHED + s] += c;
            sum[s] = Math.addExact(sum[s], m.amountMinor());
            if (cellOwners.get(s).add(k.owner())) {
                owners.get(s).add(k.owner());
            }
        }
        if (k.status() == OpportunityStatus.OPEN) {
            counts[OwnerFigures.OPEN] += c;
            counts[OwnerFigures.REACHED + n + k.stage()] += c;
            sum[n + k.stage()] = Math.addExact(sum[n + k.stage()], m.amountMinor());
            sum[2 * n + k.stage()] = Math.addExact(sum[2 * n + k.stage()], m.weightedPercentMinor());
            sum[3 * n] = Math.addExact(sum[3 * n], m.amountMinor());
            sum[3 * n + 1] = Math.addExact(sum[3 * n + 1], m.weightedPercentMinor());
        } else if (rules.closedCounts(k)) {
            durations[0].add(m.cycle());
            if (k.status() == OpportunityStatus.WON) {
                counts[OwnerFigures.WON] += c;
                durations[1].add(m.cycle());
                sum[3 * n + 2] = Math.addExact(sum[3 * n + 2], m.revenueMinor());
            } else {
                counts[OwnerFigures.LOST] += c;
                int f = k.furthestStage();
                if (f >= 0) {
                    counts[OwnerFigures.REACHED + 2 * n + f] += c;
                }
            }
        }
    }

    /**
     * Adds one time-in-stage summary.
     *
     * @param k its key
     * @param d the summary
     */
    public void addStageTime(StageTimeKey k, DurationSummary d) {
        durations[2 + k.stage()].add(d);
    }

    /**
     * These totals as one owner's figures, for totals filled with one owner's cells and
     * built with every currency of the cells up front (so money indexes do not move).
     *
     * @return the figures
     */
    public OwnerFigures toFigures() {
        long[] flat = new long[currencies.size() * slots];
        for (int c = 0; c < money.length; c++) {
            if (money[c] != null) {
                System.arraycopy(money[c], 0, flat, c * slots, slots);
            }
        }
        int kinds = durations.length;
        long[] count = new long[kinds];
        long[] seconds = new long[kinds];
        int[][] days = new int[kinds][];
        long[][] dayCounts = new long[kinds][];
        for (int d = 0; d < kinds; d++) {
            durations[d].into(d, count, seconds, days, dayCounts);
        }
        return new OwnerFigures(counts.clone(), flat, count, seconds, days, dayCounts);
    }

    /**
     * Adds one owner's figures. Each owner at most once (the figures are already per
     * opportunity) and not together with cells of the same owner; adding owners in their
     * natural order saves the sort of the owner lists.
     *
     * @param owner the owner
     * @param f the owner's figures, indexed like this totals' currencies
     * @return this
     */
    public FunnelTotals add(ManagerId owner, OwnerFigures f) {
        long[] fc = f.counts;
        for (int i = 0; i < counts.length; i++) {
            counts[i] += fc[i];
        }
        for (int s = 0; s < n; s++) {
            if (fc[OwnerFigures.REACHED + s] > 0) {
                owners.get(s).add(owner);
            }
        }
        long[] fm = f.money;
        for (int c = 0, base = 0; base < fm.length; c++, base += slots) {
            long[] sum = null;
            for (int i = 0; i < slots; i++) {
                long v = fm[base + i];
                if (v != 0) {
                    if (sum == null) {
                        sum = moneyAt(c);
                    }
                    sum[i] = Math.addExact(sum[i], v);
                }
            }
        }
        for (int d = 0; d < durations.length; d++) {
            if (f.durationCount[d] > 0) {
                durations[d].add(f.durationCount[d], f.durationSeconds[d], f.days[d], f.dayCounts[d]);
            }
        }
        return this;
    }

    private static List<ManagerId> sortedOwners(List<ManagerId> owners) {
        for (int i = 1; i < owners.size(); i++) {
            if (owners.get(i - 1).compareTo(owners.get(i)) > 0) {
                return owners.stream().sorted().toList();
            }
        }
        return List.copyOf(owners);
    }

    /**
     * The funnel of the sums.
     *
     * @param query the funnel query (its nodes are the reported scope)
     * @param converter the currency converter
     * @param rateDate the date of the rates
     * @param asOf the evaluation instant reported
     * @return the funnel
     * @throws org.crmkit.core.MissingExchangeRateException when a currency with a non-zero
     *     sum has no rate to the reporting currency
     */
    public FunnelResult result(FunnelQuery query, CurrencyConverter converter, LocalDate rateDate, Instant asOf) {
        SalesProcess process = query.process();
        long count = counts[OwnerFigures.COUNT];
        long open = counts[OwnerFigures.OPEN];
        long won = counts[OwnerFigures.WON];
        long lost = counts[OwnerFigures.LOST];
        DurationSummary cycle = durations[0].summary();
        DurationSummary wonCycle = durations[1].summary();
        CurrencyUnit target = query.reportingCurrency();
        BigDecimal[] converted = new BigDecimal[slots];
        Arrays.fill(converted, BigDecimal.ZERO);
        for (int c = 0; c < money.length; c++) {
            long[] sum = money[c];
            if (sum == null) {
                continue;
            }
            CurrencyUnit from = currencies.get(c);
            BigDecimal rate = null;
            for (int i = 0; i < slots; i++) {
                if (sum[i] == 0) {
                    continue;
                }
                if (rate == null) {
                    rate = converter.rate(from, target, rateDate);
                }
                boolean weighted = (i >= 2 * n && i < 3 * n) || i == 3 * n + 1;
                BigDecimal value = BigDecimal.valueOf(sum[i], Amounts.fractionDigits(from) + (weighted ? 2 : 0));
                converted[i] = converted[i].add(value.multiply(rate));
            }
        }
        List<StageFigures> stages = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            Stage st = process.openStages().get(s);
            long reached = counts[OwnerFigures.REACHED + s];
            long first = counts[OwnerFigures.REACHED];
            Double step = s == 0 ? (first == 0 ? null : 1.0)
                    : FunnelMath.ratio(reached, counts[OwnerFigures.REACHED + s - 1]);
            stages.add(new StageFigures(s, st.code(), st.name(), reached, counts[OwnerFigures.REACHED + n + s],
                    FunnelMath.present(converted[s], target), FunnelMath.present(converted[n + s], target),
                    FunnelMath.present(converted[2 * n + s], target), step, FunnelMath.ratio(reached, first),
                    counts[OwnerFigures.REACHED + 2 * n + s], DurationStats.of(durations[2 + s].summary()),
                    sortedOwners(owners.get(s))));
        }
        BigDecimal wonAmount = converted[3 * n + 2];
        BigDecimal velocity = null;
        if (won + lost > 0 && won > 0 && wonCycle.secondsSum() > 0) {
            // open × won/(won+lost) × (wonAmount/won) / (wonCycleSeconds / 86400 / wonCycleCount)
            BigDecimal numerator = wonAmount.multiply(BigDecimal.valueOf(open))
                    .multiply(BigDecimal.valueOf(wonCycle.count()))
                    .multiply(BigDecimal.valueOf(DurationSummary.SECONDS_PER_DAY));
            BigDecimal denominator = BigDecimal.valueOf(won + lost).multiply(BigDecimal.valueOf(wonCycle.secondsSum()));
            velocity = FunnelMath.present(numerator.divide(denominator, MathContext.DECIMAL128), target);
        }
        return new FunnelResult(query.nodes(), process.id().value(), query.mode(), query.policy(),
                query.period() == null ? null : query.period().label(), asOf, target.getCurrencyCode(), rateDate,
                count, open, won, lost, FunnelMath.present(converted[3 * n], target),
                FunnelMath.present(converted[3 * n + 1], target), FunnelMath.present(wonAmount, target),
                FunnelMath.ratio(won, won + lost), DurationStats.of(cycle), DurationStats.of(wonCycle), velocity,
                stages, List.of());
    }
}
