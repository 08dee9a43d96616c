package org.crmkit.funnel;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.crmkit.core.ValidationException;

/**
 * Why deals were won and lost: the closed opportunities of a funnel query by reason, by the
 * competitor who won a lost deal, and by the stage lost at (the furthest open stage reached
 * before the loss). Rows are ordered by count (won + lost) descending, then key; stage rows
 * in process order.
 *
 * @param currency the reporting currency code
 * @param rateDate the date of the exchange rates
 * @param won the won opportunities
 * @param lost the lost opportunities
 * @param wonAmount their actual revenue
 * @param lostAmount the amount of the lost ones
 * @param byReason won and lost by reason
 * @param byCompetitor lost by winning competitor
 * @param byStageLostAt lost by the stage lost at (every open stage, zero rows included)
 * @param notices what the figures depend on that the query did not say, or leave out, empty
 *     when nothing
 */
public record WinLossAnalysis(String currency, LocalDate rateDate, long won, long lost, BigDecimal wonAmount,
        BigDecimal lostAmount, List<WinLossRow> byReason, List<WinLossRow> byCompetitor,
        List<WinLossRow> byStageLostAt, List<FunnelNotice> notices) {
    /**
     * Validates the analysis and copies the lists.
     *
     * @throws ValidationException when a value is missing
     */
    public WinLossAnalysis {
        ValidationException.requireText(currency, "currency");
        ValidationException.requireNonNull(rateDate, "rateDate");
        ValidationException.requireNonNull(wonAmount, "wonAmount");
        ValidationException.requireNonNull(lostAmount, "lostAmount");
        byReason = List.copyOf(ValidationException.requireNonNull(byReason, "byReason"));
        byCompetitor = List.copyOf(ValidationException.requireNonNull(byCompetitor, "byCompetitor"));
        byStageLostAt = List.copyOf(ValidationException.requireNonNull(byStageLostAt, "byStageLostAt"));
        notices = List.copyOf(ValidationException.requireNonNull(notices, "notices"));
    }

    /**
     * A copy with notices added after the present ones.
     *
     * @param more the notices to add
     * @return the copy, or this analysis when there is nothing to add
     */
    public WinLossAnalysis withNotices(List<FunnelNotice> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<FunnelNotice> all = new java.util.ArrayList<>(notices);
        all.addAll(more);
        // one order whichever way the notices came: by kind
        all.sort(java.util.Comparator.comparing(FunnelNotice::kind));
        return new WinLossAnalysis(currency, rateDate, won, lost, wonAmount, lostAmount, byReason, byCompetitor,
                byStageLostAt, all);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Win/loss: won %d (%s %s), lost %d (%s %s), rates of %s%n", won, wonAmount.toPlainString(), currency,
                lost, lostAmount.toPlainString(), currency, rateDate));
        table(sb, "reason", byReason);
        table(sb, "competitor", byCompetitor);
        table(sb, "stage lost at", byStageLostAt);
        return sb.toString();
    }

    private static void table(StringBuilder sb, String title, List<WinLossRow> rows) {
        sb.append(String.format(Locale.ROOT, "%-24s %8s %8s %7s %16s %16s%n", title, "won", "lost", "rate",
                "wonAmount", "lostAmount"));
        for (WinLossRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%-24s %8d %8d %7s %16s %16s%n", r.key(), r.won(), r.lost(),
                    r.winRate() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", r.winRate() * 100),
                    r.wonAmount().toPlainString(), r.lostAmount().toPlainString()));
        }
    }
}
