package org.crmkit.funnel.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.funnel.DurationStats;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.StageFigures;
import org.crmkit.funnel.StageWinRate;
import org.crmkit.funnel.WinLossAnalysis;
import org.crmkit.funnel.WinLossRow;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.FunnelStats.Count;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.FunnelStats.Money;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.WinLossStats;

/**
 * Turns summed {@link FunnelStats} into results: a node's stats are the sum of its distinct
 * owners' parts ({@link #sum}); money stays exact per currency until each currency is
 * converted once, at one rate date, and rounded half-even only for presentation.
 */
public final class FunnelResults {
    private FunnelResults() {
    }

    /** A node's stats and, per open stage, its owners that reached it (sorted). */
    public record NodeSum(FunnelStats total, List<List<ManagerId>> owners) {
    }

    /**
     * Sums the parts of some owners in one bucket.
     *
     * @param parts the source's answer
     * @param bucket the bucket
     * @param owners the distinct owners of the node, in order
     * @param openStages the number of open stages
     * @return the node's sum
     */
    public static NodeSum sum(OwnerAggregates<FunnelStats> parts, int bucket, Collection<ManagerId> owners,
            int openStages) {
        FunnelStats.Builder b = FunnelStats.builder(openStages);
        List<List<ManagerId>> reached = new ArrayList<>(openStages);
        for (int s = 0; s < openStages; s++) {
            reached.add(new ArrayList<>());
        }
        for (ManagerId m : owners) {
            FunnelStats p = parts.part(m, bucket);
            if (p == null) {
                continue;
            }
            b.add(p);
            for (int s = 0; s < openStages; s++) {
                if (p.count(Count.REACHED, s) > 0) {
                    reached.get(s).add(m);
                }
            }
        }
        return new NodeSum(b.build(), reached);
    }

    private static List<ManagerId> sorted(List<ManagerId> owners) {
        for (int i = 1; i < owners.size(); i++) {
            if (owners.get(i - 1).compareTo(owners.get(i)) > 0) {
                return owners.stream().sorted().toList();
            }
        }
        return List.copyOf(owners);
    }

    /**
     * The exact sums of some money figures in the reporting currency: each currency's rate is
     * asked once, only when one of the figures has a non-zero sum in it.
     */
    private static BigDecimal[] convert(FunnelStats t, List<Money> figures, List<Integer> stages,
            CurrencyConverter converter, CurrencyUnit target, LocalDate rateDate) {
        BigDecimal[] out = new BigDecimal[figures.size()];
        java.util.Arrays.fill(out, BigDecimal.ZERO);
        for (CurrencyUnit from : t.currencies()) {
            BigDecimal rate = null;
            for (int i = 0; i < out.length; i++) {
                Money f = figures.get(i);
                long v = f.perStage() ? t.minor(f, stages.get(i), from) : t.minor(f, from);
                if (v == 0) {
                    continue;
                }
                if (rate == null) {
                    rate = converter.rate(from, target, rateDate);
                }
                BigDecimal value = BigDecimal.valueOf(v, Amounts.fractionDigits(from) + (f.weighted() ? 2 : 0));
                out[i] = out[i].add(value.multiply(rate));
            }
        }
        return out;
    }

    /**
     * The funnel of a node.
     *
     * @param query the funnel query (its nodes are the reported scope)
     * @param node the node's sum
     * @param converter the currency converter
     * @param rateDate the date of the rates
     * @param asOf the evaluation instant reported
     * @return the funnel
     * @throws org.crmkit.core.MissingExchangeRateException when a currency with a non-zero sum
     *     has no rate to the reporting currency
     */
    public static FunnelResult funnel(FunnelQuery query, NodeSum node, CurrencyConverter converter, LocalDate rateDate,
            Instant asOf) {
        SalesProcess process = query.process();
        int n = process.openStageCount();
        FunnelStats t = node.total();
        CurrencyUnit target = query.reportingCurrency();
        List<Money> figures = new ArrayList<>();
        List<Integer> stages = new ArrayList<>();
        for (Money f : List.of(Money.REACHED_AMOUNT, Money.AT_AMOUNT, Money.AT_WEIGHTED)) {
            for (int s = 0; s < n; s++) {
                figures.add(f);
                stages.add(s);
            }
        }
        for (Money f : List.of(Money.OPEN_AMOUNT, Money.OPEN_WEIGHTED, Money.WON_REVENUE)) {
            figures.add(f);
            stages.add(0);
        }
        BigDecimal[] converted = convert(t, figures, stages, converter, target, rateDate);
        long first = t.count(Count.REACHED, 0);
        List<StageFigures> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            Stage st = process.openStages().get(s);
            long reached = t.count(Count.REACHED, s);
            Double step = s == 0 ? (first == 0 ? null : 1.0) : ratio(reached, t.count(Count.REACHED, s - 1));
            out.add(new StageFigures(s, st.code(), st.name(), reached, t.count(Count.AT, s),
                    present(converted[s], target), present(converted[n + s], target),
                    present(converted[2 * n + s], target), step, ratio(reached, first), t.count(Count.DROPPED, s),
                    DurationStats.of(t.duration(Duration.TIME_IN_STAGE, s)), sorted(node.owners().get(s))));
        }
        long open = t.open();
        long won = t.won();
        long lost = t.lost();
        BigDecimal wonAmount = converted[3 * n + 2];
        DurationSummary wonCycle = t.duration(Duration.WON_CYCLE);
        BigDecimal velocity = null;
        if (won > 0 && wonCycle.secondsSum() > 0) {
            // open × won/(won+lost) × (wonAmount/won) / (wonCycleSeconds / 86400 / wonCycleCount)
            BigDecimal numerator = wonAmount.multiply(BigDecimal.valueOf(open))
                    .multiply(BigDecimal.valueOf(wonCycle.count()))
                    .multiply(BigDecimal.valueOf(DurationSummary.SECONDS_PER_DAY));
            BigDecimal denominator = BigDecimal.valueOf(won + lost).multiply(BigDecimal.valueOf(wonCycle.secondsSum()));
            velocity = present(numerator.divide(denominator, MathContext.DECIMAL128), target);
        }
        return new FunnelResult(query.nodes(), process.id().value(), query.mode(), query.policy(),
                query.period() == null ? null : query.period().label(), asOf, target.getCurrencyCode(), rateDate,
                t.count(), open, won, lost, present(converted[3 * n], target), present(converted[3 * n + 1], target),
                present(wonAmount, target), ratio(won, won + lost), DurationStats.of(t.duration(Duration.CYCLE)),
                DurationStats.of(wonCycle), velocity, out, List.of(), org.crmkit.funnel.spi.AnswerPath.SCAN);
    }

    /**
     * The historical stage-to-win rates of a population.
     *
     * @param process the process
     * @param t the population's stats
     * @return one rate per open stage
     */
    public static List<StageWinRate> stageWinRates(SalesProcess process, FunnelStats t) {
        int n = process.openStageCount();
        List<StageWinRate> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            long won = t.count(Count.WON_REACHED, s);
            long closed = won + t.count(Count.LOST_REACHED, s);
            out.add(new StageWinRate(s, process.openStages().get(s).code(), closed, won, ratio(won, closed)));
        }
        return List.copyOf(out);
    }

    /**
     * The win/loss analysis of a population (stats asked with the win/loss side tables).
     *
     * @param process the process
     * @param t the population's stats
     * @param converter the currency converter
     * @param target the reporting currency
     * @param rateDate the date of the rates
     * @return the analysis
     */
    public static WinLossAnalysis winLoss(SalesProcess process, FunnelStats t, CurrencyConverter converter,
            CurrencyUnit target, LocalDate rateDate) {
        Comparator<WinLossRow> order = Comparator.comparingLong((WinLossRow r) -> r.won() + r.lost()).reversed()
                .thenComparing(WinLossRow::key);
        Map<CurrencyUnit, Long> wonTotal = new LinkedHashMap<>();
        Map<CurrencyUnit, Long> lostTotal = new LinkedHashMap<>();
        for (CurrencyUnit c : t.currencies()) {
            wonTotal.put(c, t.minor(Money.WON_REVENUE, c));
            lostTotal.put(c, t.minor(Money.LOST_AMOUNT, c));
        }
        WinLossRow total = row("all", new WinLossStats(t.won(), t.lost(), wonTotal, lostTotal), converter, target,
                rateDate);
        List<WinLossRow> byStage = new ArrayList<>();
        for (int s = 0; s < process.openStageCount(); s++) {
            Map<CurrencyUnit, Long> dropped = new LinkedHashMap<>();
            for (CurrencyUnit c : t.currencies()) {
                dropped.put(c, t.minor(Money.DROPPED_AMOUNT, s, c));
            }
            byStage.add(row(process.openStages().get(s).code(),
                    new WinLossStats(0, t.count(Count.DROPPED, s), Map.of(), dropped), converter, target, rateDate));
        }
        return new WinLossAnalysis(target.getCurrencyCode(), rateDate, total.won(), total.lost(), total.wonAmount(),
                total.lostAmount(), rows(t.byReason(), converter, target, rateDate, order),
                rows(t.byCompetitor(), converter, target, rateDate, order), byStage, List.of());
    }

    private static List<WinLossRow> rows(Map<String, WinLossStats> table, CurrencyConverter converter,
            CurrencyUnit target, LocalDate rateDate, Comparator<WinLossRow> order) {
        // keys without a value, or blank, read as NONE (and merge with a literal NONE)
        Map<String, WinLossStats> byKey = new LinkedHashMap<>();
        table.forEach((k, v) -> byKey.merge(k == null || k.isBlank() ? WinLossRow.NONE : k, v, WinLossStats::plus));
        List<WinLossRow> out = new ArrayList<>();
        byKey.forEach((k, v) -> out.add(row(k, v, converter, target, rateDate)));
        out.sort(order);
        return out;
    }

    private static WinLossRow row(String key, WinLossStats s, CurrencyConverter converter, CurrencyUnit target,
            LocalDate rateDate) {
        return new WinLossRow(key, s.won(), s.lost(), present(in(s.wonRevenueMinor(), converter, target, rateDate), target),
                present(in(s.lostAmountMinor(), converter, target, rateDate), target), ratio(s.won(), s.won() + s.lost()));
    }

    /**
     * An exact sum of minor units per currency in a target currency.
     *
     * @param minorByCurrency the sums
     * @param converter the converter
     * @param target the target currency
     * @param rateDate the date of the rates
     * @return the exact converted sum
     */
    public static BigDecimal in(Map<CurrencyUnit, Long> minorByCurrency, CurrencyConverter converter,
            CurrencyUnit target, LocalDate rateDate) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<CurrencyUnit, Long> e : minorByCurrency.entrySet()) {
            long v = e.getValue();
            if (v != 0) {
                BigDecimal value = BigDecimal.valueOf(v, Amounts.fractionDigits(e.getKey()));
                total = total.add(converter.convert(value, e.getKey(), target, rateDate));
            }
        }
        return total;
    }

    /**
     * A ratio, null when the denominator is 0.
     *
     * @param num the numerator
     * @param den the denominator
     * @return {@code num / den} or null
     */
    public static Double ratio(long num, long den) {
        return den == 0 ? null : (double) num / den;
    }

    /**
     * Rounds an exact value for presentation, half-even at the currency's minor unit.
     *
     * @param value the exact value
     * @param currency the currency
     * @return the rounded value
     */
    public static BigDecimal present(BigDecimal value, CurrencyUnit currency) {
        return value.setScale(Amounts.fractionDigits(currency), RoundingMode.HALF_EVEN);
    }
}
