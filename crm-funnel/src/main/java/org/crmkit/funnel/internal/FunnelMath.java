package org.crmkit.funnel.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.StageWinRate;
import org.crmkit.funnel.WinLossAnalysis;
import org.crmkit.funnel.WinLossRow;
import org.crmkit.funnel.spi.CellKey;
import org.crmkit.funnel.spi.CellMeasures;
import org.crmkit.funnel.spi.FunnelCells;

/**
 * Derives funnel figures from cells. Sums stay in exact {@code long} minor units per
 * currency; each currency's sums are converted once, at the end, into the reporting
 * currency.
 */
public final class FunnelMath {
    private FunnelMath() {
    }

    /**
     * Computes a funnel from cells.
     *
     * @param query the funnel query
     * @param cells the cells of the query's population
     * @param rules the key rules of the query
     * @param converter the currency converter
     * @param rateDate the date of the rates
     * @param asOf the evaluation instant reported
     * @return the funnel
     */
    public static FunnelResult funnel(FunnelQuery query, FunnelCells cells, KeyRules rules,
            CurrencyConverter converter, LocalDate rateDate, Instant asOf) {
        return new FunnelTotals(query.process().openStageCount(), List.of()).addCells(cells, rules)
                .result(query, converter, rateDate, asOf);
    }

    /**
     * Computes the historical stage-to-win rates from cells.
     *
     * @param process the process
     * @param cells the cells
     * @param rules the key rules
     * @return one rate per open stage
     */
    public static List<StageWinRate> stageWinRates(SalesProcess process, FunnelCells cells, KeyRules rules) {
        int n = process.openStageCount();
        long[] closed = new long[n];
        long[] won = new long[n];
        for (Map.Entry<CellKey, CellMeasures> e : cells.cells().entrySet()) {
            CellKey k = e.getKey();
            if (!rules.closedCounts(k)) {
                continue;
            }
            long mask = rules.reached(k);
            boolean isWon = k.status() == OpportunityStatus.WON;
            while (mask != 0) {
                int s = Long.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                closed[s] += e.getValue().count();
                if (isWon) {
                    won[s] += e.getValue().count();
                }
            }
        }
        List<StageWinRate> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            out.add(new StageWinRate(s, process.openStages().get(s).code(), closed[s], won[s], ratio(won[s], closed[s])));
        }
        return List.copyOf(out);
    }

    /**
     * Computes the win/loss analysis from cells.
     *
     * @param process the process
     * @param cells the cells
     * @param rules the key rules
     * @param converter the currency converter
     * @param target the reporting currency
     * @param rateDate the date of the rates
     * @return the analysis
     */
    public static WinLossAnalysis winLoss(SalesProcess process, FunnelCells cells, KeyRules rules,
            CurrencyConverter converter, CurrencyUnit target, LocalDate rateDate) {
        Map<String, WinLossAcc> byReason = new HashMap<>();
        Map<String, WinLossAcc> byCompetitor = new HashMap<>();
        List<WinLossAcc> byStage = new ArrayList<>();
        for (Stage st : process.openStages()) {
            byStage.add(new WinLossAcc(st.code()));
        }
        WinLossAcc all = new WinLossAcc("all");
        for (Map.Entry<CellKey, CellMeasures> e : cells.cells().entrySet()) {
            CellKey k = e.getKey();
            if (!rules.closedCounts(k)) {
                continue;
            }
            CellMeasures m = e.getValue();
            String reason = k.reason() == null ? WinLossRow.NONE : k.reason();
            all.add(k, m);
            byReason.computeIfAbsent(reason, WinLossAcc::new).add(k, m);
            if (k.status() == OpportunityStatus.LOST) {
                String competitor = k.competitor() == null ? WinLossRow.NONE : k.competitor();
                byCompetitor.computeIfAbsent(competitor, WinLossAcc::new).add(k, m);
                if (k.furthestStage() >= 0) {
                    byStage.get(k.furthestStage()).add(k, m);
                }
            }
        }
        Comparator<WinLossRow> order = Comparator.comparingLong((WinLossRow r) -> r.won() + r.lost()).reversed()
                .thenComparing(WinLossRow::key);
        WinLossRow total = all.row(converter, target, rateDate);
        return new WinLossAnalysis(target.getCurrencyCode(), rateDate, total.won(), total.lost(), total.wonAmount(),
                total.lostAmount(),
                byReason.values().stream().map(a -> a.row(converter, target, rateDate)).sorted(order).toList(),
                byCompetitor.values().stream().map(a -> a.row(converter, target, rateDate)).sorted(order).toList(),
                byStage.stream().map(a -> a.row(converter, target, rateDate)).toList(), List.of());
    }

    private static final class WinLossAcc {
        private final String key;
        private long won;
        private long lost;
        private final MoneySum wonAmount = new MoneySum(0);
        private final MoneySum lostAmount = new MoneySum(0);

        WinLossAcc(String key) {
            this.key = key;
        }

        void add(CellKey k, CellMeasures m) {
            if (k.status() == OpportunityStatus.WON) {
                won += m.count();
                wonAmount.add(k.currency(), m.revenueMinor());
            } else {
                lost += m.count();
                lostAmount.add(k.currency(), m.amountMinor());
            }
        }

        WinLossRow row(CurrencyConverter converter, CurrencyUnit target, LocalDate rateDate) {
            return new WinLossRow(key, won, lost, present(wonAmount.in(converter, target, rateDate), target),
                    present(lostAmount.in(converter, target, rateDate), target), ratio(won, won + lost));
        }
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
