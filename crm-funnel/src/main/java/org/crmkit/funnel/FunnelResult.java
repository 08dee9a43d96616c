package org.crmkit.funnel;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.ValidationException;

/**
 * A funnel: per-stage figures and the overall win rate, cycle length and sales velocity of
 * one scope, period and mode. Immutable; plain types only, so Jackson writes it as JSON;
 * {@link #toString()} is a readable table.
 *
 * <p>Amounts are in {@code currency}, converted from each opportunity currency at the rates
 * of {@code rateDate} and rounded half-even to the currency's minor unit (sums are exact
 * before that rounding). Durations: means are exact; medians come from exact whole-day
 * histograms, so they are exact up to the truncation of each duration to whole days.
 *
 * @param scope the org nodes of the query, empty for the whole book
 * @param processId the sales process id
 * @param mode the period mode
 * @param policy the counting policy
 * @param period the period label, null for a snapshot over all time
 * @param asOf the instant the state was replayed to (exclusive for ACTIVITY: the period end)
 * @param currency the reporting currency code
 * @param rateDate the date of the exchange rates used
 * @param count the opportunities in the population
 * @param open those open as of the evaluation instant
 * @param won those won (in ACTIVITY mode: won during the period)
 * @param lost those lost (in ACTIVITY mode: lost during the period)
 * @param openAmount the amount of the open ones
 * @param openWeightedAmount the probability-weighted amount of the open ones
 * @param wonAmount the actual revenue of the won ones
 * @param winRate {@code won / (won + lost)}, null when nothing closed
 * @param cycle creation-to-close durations of the closed ones (won and lost)
 * @param wonCycle creation-to-close durations of the won ones
 * @param velocityPerDay sales velocity: {@code open × winRate × mean won amount / mean won
 *     cycle in days}, the revenue the open pipeline is expected to bring per day; null when
 *     a factor is undefined
 * @param stages the figures of each open stage, in process order
 * @param notices what the figures depend on that the query did not say, or leave out (a
 *     defaulted currency, owners outside the org, changes after "now"), in the order of their
 *     kind, empty when nothing
 * @param answeredBy how the source computed the figures: from aggregates maintained on every
 *     write, or by a scan of the opportunities (the figures are the same; the cost is not). How,
 *     not what: it is not part of {@link #equals} or {@link #hashCode}, so the same funnel from two
 *     sources compares equal
 */
public record FunnelResult(List<OrgNodeId> scope, String processId, FunnelMode mode, CountingPolicy policy, String period,
        Instant asOf, String currency, LocalDate rateDate, long count, long open, long won, long lost,
        BigDecimal openAmount, BigDecimal openWeightedAmount, BigDecimal wonAmount, Double winRate,
        DurationStats cycle, DurationStats wonCycle, BigDecimal velocityPerDay, List<StageFigures> stages,
        List<FunnelNotice> notices, org.crmkit.funnel.spi.AnswerPath answeredBy) {
    /**
     * Validates the result and copies the lists.
     *
     * @throws ValidationException when a value is missing or the counts are inconsistent
     */
    public FunnelResult {
        scope = List.copyOf(ValidationException.requireNonNull(scope, "scope"));
        ValidationException.requireText(processId, "processId");
        ValidationException.requireNonNull(mode, "mode");
        ValidationException.requireNonNull(policy, "policy");
        ValidationException.requireNonNull(asOf, "asOf");
        ValidationException.requireText(currency, "currency");
        ValidationException.requireNonNull(rateDate, "rateDate");
        ValidationException.require(open >= 0 && won >= 0 && lost >= 0 && open + won + lost <= count, "count", count,
                "at least open + won + lost");
        ValidationException.requireNonNull(openAmount, "openAmount");
        ValidationException.requireNonNull(openWeightedAmount, "openWeightedAmount");
        ValidationException.requireNonNull(wonAmount, "wonAmount");
        ValidationException.requireNonNull(cycle, "cycle");
        ValidationException.requireNonNull(wonCycle, "wonCycle");
        stages = List.copyOf(ValidationException.requireNonNull(stages, "stages"));
        notices = List.copyOf(ValidationException.requireNonNull(notices, "notices"));
        ValidationException.requireNonNull(answeredBy, "answeredBy");
    }

    /**
     * Equal when every figure, the scope, the notices and the query's terms are; the answer path
     * is not compared (the same funnel answered by another path is the same funnel).
     *
     * @param o the other object
     * @return whether it is an equal funnel
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof FunnelResult r && count == r.count && open == r.open && won == r.won && lost == r.lost
                && scope.equals(r.scope) && processId.equals(r.processId) && mode == r.mode && policy == r.policy
                && java.util.Objects.equals(period, r.period) && asOf.equals(r.asOf) && currency.equals(r.currency)
                && rateDate.equals(r.rateDate) && openAmount.equals(r.openAmount)
                && openWeightedAmount.equals(r.openWeightedAmount) && wonAmount.equals(r.wonAmount)
                && java.util.Objects.equals(winRate, r.winRate) && cycle.equals(r.cycle) && wonCycle.equals(r.wonCycle)
                && java.util.Objects.equals(velocityPerDay, r.velocityPerDay) && stages.equals(r.stages)
                && notices.equals(r.notices);
    }

    /**
     * A hash of what {@link #equals} compares.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return java.util.Objects.hash(scope, processId, mode, policy, period, asOf, currency, rateDate, count, open,
                won, lost, openAmount, openWeightedAmount, wonAmount, winRate, cycle, wonCycle, velocityPerDay, stages,
                notices);
    }

    /**
     * A copy stating another answer path.
     *
     * @param path how the figures were computed
     * @return the copy, or this result when the path is the same
     */
    public FunnelResult withAnsweredBy(org.crmkit.funnel.spi.AnswerPath path) {
        if (path == answeredBy) {
            return this;
        }
        return new FunnelResult(scope, processId, mode, policy, period, asOf, currency, rateDate, count, open, won,
                lost, openAmount, openWeightedAmount, wonAmount, winRate, cycle, wonCycle, velocityPerDay, stages,
                notices, path);
    }

    /**
     * A copy with notices added after the present ones.
     *
     * @param more the notices to add
     * @return the copy, or this result when there is nothing to add
     */
    public FunnelResult withNotices(List<FunnelNotice> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<FunnelNotice> all = new java.util.ArrayList<>(notices);
        all.addAll(more);
        // one order whichever way the notices came: by kind
        all.sort(java.util.Comparator.comparing(FunnelNotice::kind));
        return new FunnelResult(scope, processId, mode, policy, period, asOf, currency, rateDate, count, open, won,
                lost, openAmount, openWeightedAmount, wonAmount, winRate, cycle, wonCycle, velocityPerDay, stages, all,
                answeredBy);
    }

    /**
     * The notices of a kind.
     *
     * @param kind the kind
     * @return the notice, empty when the result has none of that kind
     */
    public java.util.Optional<FunnelNotice> notice(FunnelNotice.Kind kind) {
        return notices.stream().filter(n -> n.kind() == kind).findFirst();
    }

    /**
     * The figures of a stage by code.
     *
     * @param code the stage code
     * @return the figures
     * @throws ValidationException when the process has no such open stage
     */
    public StageFigures stage(String code) {
        return findStage(code).orElseThrow(() -> new ValidationException("stage", code,
                "an open stage of process " + processId));
    }

    /**
     * The figures of a stage by code, without failing.
     *
     * @param code the stage code
     * @return the figures, empty when unknown
     */
    public Optional<StageFigures> findStage(String code) {
        return stages.stream().filter(s -> s.code().equals(code)).findFirst();
    }

    /**
     * The figures of a stage by index.
     *
     * @param index the open stage index
     * @return the figures
     * @throws ValidationException when the index is out of range
     */
    public StageFigures stage(int index) {
        ValidationException.require(index >= 0 && index < stages.size(), "stage", index,
                "an index in [0, " + stages.size() + ")");
        return stages.get(index);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Funnel %s %s %s %s as of %s, %s at rates of %s%n",
                scope.isEmpty() ? "[whole book]" : scope.stream().map(OrgNodeId::key).toList(), processId,
                mode, period == null ? "all time" : period, asOf, currency, rateDate));
        sb.append(String.format(Locale.ROOT, "%-24s %8s %8s %7s %7s %8s %16s %16s %9s %9s%n", "stage", "reached",
                "at", "step", "cum", "dropOff", "atAmount", "atWeighted", "meanDays", "medDays"));
        for (StageFigures s : stages) {
            sb.append(String.format(Locale.ROOT, "%-24s %8d %8d %7s %7s %8d %16s %16s %9s %9s%n", s.code(),
                    s.reached(), s.at(), pct(s.stepConversion()), pct(s.cumulativeConversion()), s.dropOff(),
                    s.atAmount().toPlainString(), s.atWeightedAmount().toPlainString(),
                    num(s.timeInStage().meanDays()), num(s.timeInStage().medianDays())));
        }
        sb.append(String.format(Locale.ROOT,
                "count %d, open %d, won %d, lost %d, win rate %s, won %s %s, open %s %s (weighted %s),"
                        + " cycle mean %s d median %s d, velocity %s %s/day",
                count, open, won, lost, pct(winRate), wonAmount.toPlainString(), currency,
                openAmount.toPlainString(), currency, openWeightedAmount.toPlainString(), num(cycle.meanDays()),
                num(cycle.medianDays()), velocityPerDay == null ? "-" : velocityPerDay.toPlainString(), currency));
        for (FunnelNotice n : notices) {
            sb.append(String.format(Locale.ROOT, "%nnote: %s", n.message()));
        }
        return sb.toString();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
