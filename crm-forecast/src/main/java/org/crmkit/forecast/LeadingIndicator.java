package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * The funnel as a leading indicator: a period's work (new deals, stage entries) turned into the
 * wins and revenue it is expected to bring in the following months.
 *
 * <p>A deal is <em>worked</em> in the period when it newly reached a stage there (entered it for
 * the first time, as the ACTIVITY funnel with STRICT counting counts it) or was won or lost
 * there. Each worked deal counts once: won in the period, its revenue is realised; lost, it
 * brings nothing; still open at the period's end, the measured timing model (fitted as of the
 * period's end) places its value in the following months, from its stage and the days since it
 * entered it. So "a month of many meetings" shows as expected revenue next month and after,
 * and "a month of many signatures" as realised revenue with little left behind.
 *
 * @param node the node
 * @param period the period of the work
 * @param processId the process whose stages are counted
 * @param worked deals worked in the period
 * @param newDeals deals created in the period
 * @param stages the entries per open stage, in process order
 * @param won deals won in the period
 * @param wonRevenue their revenue, at their close-date rates (deals won and still won today)
 * @param lost deals lost in the period
 * @param openAtEnd worked deals still open at the period's end
 * @param outlook what the open worked deals are expected to bring per following month
 */
public record LeadingIndicator(OrgNodeId node, Period period, String processId, long worked, long newDeals,
        List<StageEntries> stages, long won, BigDecimal wonRevenue, long lost, long openAtEnd,
        MeasuredForecast outlook) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public LeadingIndicator {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireText(processId, "processId");
        stages = List.copyOf(ValidationException.requireNonNull(stages, "stages"));
        ValidationException.requireNonNull(wonRevenue, "wonRevenue");
        ValidationException.requireNonNull(outlook, "outlook");
    }

    /** Per owner counts: entries and furthest per stage, then new, won, lost, worked, open at end. */
    private static final class Work {
        final long[] entries;
        final long[] furthest;
        long newDeals;
        long won;
        long lost;
        long worked;
        long openAtEnd;
        BigDecimal wonRevenue = BigDecimal.ZERO;

        Work(int stages) {
            entries = new long[stages];
            furthest = new long[stages];
        }
    }

    /**
     * Computes the indicator of several nodes for one period.
     *
     * @param engine the forecast engine (calendar, currency, value policy, rates)
     * @param atPeriodEnd a timing model fitted as of the period's end (the first instant after it)
     * @param opportunities the opportunities, any status
     * @param process the process whose stages are counted (deals of other processes are skipped)
     * @param period the period of the work
     * @param org the org structure
     * @param nodes the nodes
     * @param horizonMonths how many months after the period to place the open worked deals in
     * @return one indicator per node, in the order given
     * @throws ValidationException when the model is not as of the period's end
     * @throws org.crmkit.core.NotFoundException when a node is unknown
     */
    public static Map<OrgNodeId, LeadingIndicator> of(ForecastEngine engine, TimeToCloseModel atPeriodEnd,
            Iterable<Opportunity> opportunities, SalesProcess process, Period period, OrgStructure org,
            List<? extends OrgNodeId> nodes, int horizonMonths) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(org, "org");
        Instant start = period.start().atStartOfDay(atPeriodEnd.zone()).toInstant();
        Instant end = period.end().atStartOfDay(atPeriodEnd.zone()).toInstant();
        ValidationException.require(atPeriodEnd.asOf().equals(end), "atPeriodEnd.asOf", atPeriodEnd.asOf(),
                "the end of " + period + " (" + end + ")");
        int open = process.openStageCount();
        Map<ManagerId, Work> work = new HashMap<>();
        List<Opportunity> openWorked = new ArrayList<>();
        for (Opportunity o : opportunities) {
            if (!o.processId().equals(process.id())) {
                continue;
            }
            List<StageTransition> ts = o.transitions();
            if (!ts.get(0).at().isBefore(end)) {
                continue;
            }
            long mask = 0;
            int furthest = -1;
            boolean worked = false;
            boolean created = false;
            int lastStage = -1;
            Work w = null;
            for (int i = 0; i < ts.size(); i++) {
                StageTransition t = ts.get(i);
                if (!t.at().isBefore(end)) {
                    break;
                }
                int s = process.indexOf(t.to());
                lastStage = s;
                boolean inPeriod = !t.at().isBefore(start);
                if (s < open) {
                    boolean first = (mask & 1L << s) == 0;
                    mask |= 1L << s;
                    if (inPeriod && first) {
                        w = w != null ? w : work.computeIfAbsent(o.owner(), k -> new Work(open));
                        w.entries[s]++;
                        furthest = Math.max(furthest, s);
                        worked = true;
                    }
                } else if (inPeriod) {
                    w = w != null ? w : work.computeIfAbsent(o.owner(), k -> new Work(open));
                    worked = true;
                    if (s == open) {
                        w.won++;
                    } else {
                        w.lost++;
                    }
                }
                if (i == 0 && inPeriod) {
                    created = true;
                }
            }
            if (!worked) {
                continue;
            }
            w.worked++;
            if (created) {
                w.newDeals++;
            }
            if (furthest >= 0) {
                w.furthest[furthest]++;
            }
            if (lastStage < open) {
                w.openAtEnd++;
                openWorked.add(o);
            }
            if (o.status() == OpportunityStatus.WON) {
                CloseInfo c = o.closeInfo().orElseThrow();
                // placed by its closing transition's day, as the forecast and the funnel place it
                if (period.contains(LocalDate.ofInstant(o.closedAt().orElseThrow(), atPeriodEnd.zone()))) {
                    w.wonRevenue = w.wonRevenue.add(engine.converter().convert(Amounts.decimal(c.actualRevenue()),
                            o.currency(), engine.config().reportingCurrency(), c.closeDate()));
                }
            }
        }
        TimingForecast outlook = engine.timingForecast(atPeriodEnd, openWorked, horizonMonths);
        Map<OrgNodeId, LeadingIndicator> out = new LinkedHashMap<>();
        for (OrgNodeId node : nodes) {
            Work sum = new Work(open);
            for (ManagerId m : org.membersOf(node)) {
                Work w = work.get(m);
                if (w == null) {
                    continue;
                }
                for (int s = 0; s < open; s++) {
                    sum.entries[s] += w.entries[s];
                    sum.furthest[s] += w.furthest[s];
                }
                sum.newDeals += w.newDeals;
                sum.won += w.won;
                sum.lost += w.lost;
                sum.worked += w.worked;
                sum.openAtEnd += w.openAtEnd;
                sum.wonRevenue = sum.wonRevenue.add(w.wonRevenue);
            }
            List<StageEntries> stages = new ArrayList<>(open);
            for (int s = 0; s < open; s++) {
                stages.add(new StageEntries(process.openStages().get(s).code(), process.openStages().get(s).name(),
                        sum.entries[s], sum.furthest[s]));
            }
            out.put(node, new LeadingIndicator(node, period, process.id().value(), sum.worked, sum.newDeals, stages,
                    sum.won, sum.wonRevenue, sum.lost, sum.openAtEnd, outlook.forecast(org, node)));
        }
        return out;
    }

    /**
     * Whether a deal was worked in a window: it newly reached an open stage there (entered it
     * for the first time) or was won or lost there. The same rule as {@link #of}.
     *
     * @param o the opportunity
     * @param process its process
     * @param start the window's first instant
     * @param end the first instant after the window
     * @return whether it was worked
     */
    static boolean worked(Opportunity o, SalesProcess process, Instant start, Instant end) {
        int open = process.openStageCount();
        long mask = 0;
        for (StageTransition t : o.transitions()) {
            if (!t.at().isBefore(end)) {
                return false;
            }
            int s = process.indexOf(t.to());
            boolean inPeriod = !t.at().isBefore(start);
            if (s >= open) {
                if (inPeriod) {
                    return true;
                }
            } else {
                if (inPeriod && (mask & 1L << s) == 0) {
                    return true;
                }
                mask |= 1L << s;
            }
        }
        return false;
    }

    /**
     * The revenue this period's work is expected to bring in the months after it, within the horizon.
     *
     * @return the sum of the outlook's months
     */
    public BigDecimal expectedRevenueAfter() {
        BigDecimal sum = BigDecimal.ZERO;
        for (ExpectedMonth m : outlook.months()) {
            sum = sum.add(m.expectedRevenue());
        }
        return sum;
    }
}
