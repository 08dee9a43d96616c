package org.crmkit.funnel;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;

/**
 * The workload of a node's managers: what each one carries and did, beside the node's average
 * and median, so a head of sales sees who is overloaded and who is idle.
 *
 * <ul>
 *   <li><b>open deals</b> (of the process) as of the as-of instant, replayed from the stage
 *       history, in total and per open stage;</li>
 *   <li><b>idle deals</b>: open deals whose last stage change or history entry is more than
 *       {@code idleDays} days before the as-of instant;</li>
 *   <li><b>history entries</b> and <b>activities</b> (kind ACTIVITY) logged in the period, by
 *       their author (who did the work, on any deal of the process);</li>
 *   <li><b>hours on closed deals</b>: the hours recorded on the owned deals closed in the period
 *       (by close date), and how many of those have no hours recorded;</li>
 *   <li>per node, the <b>average and median</b> of open deals per member manager (members with
 *       none count as 0), and each manager's open deals against the average.</li>
 * </ul>
 * A node's total counts each deal once (its owner's line) and each entry once (its author's).
 *
 * @param node the node
 * @param processId the process
 * @param stages the open stage codes, in process order
 * @param period the period of the entries and closed deals
 * @param asOf the instant open and idle deals are judged at
 * @param idleDays the idle threshold in days
 * @param total the node's total (key and name of the node; its ratio is null)
 * @param managers each member manager, by open deals, most first
 * @param averageOpenDeals the average open deals per member
 * @param medianOpenDeals the median open deals per member
 * @param averageActivities the average activities per member in the period
 * @param medianActivities the median activities per member in the period
 */
public record Workload(OrgNodeId node, String processId, List<String> stages, Period period, Instant asOf,
        int idleDays, ManagerWorkload total, List<ManagerWorkload> managers, double averageOpenDeals,
        double medianOpenDeals, double averageActivities, double medianActivities) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public Workload {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireText(processId, "processId");
        stages = List.copyOf(ValidationException.requireNonNull(stages, "stages"));
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireNonNull(asOf, "asOf");
        ValidationException.requireNonNull(total, "total");
        managers = List.copyOf(ValidationException.requireNonNull(managers, "managers"));
    }

    /** One manager's figures while counting. */
    private static final class Counts {
        final long[] open;
        long idle;
        long entries;
        long activities;
        long closed;
        long closedWithoutHours;
        BigDecimal hours = BigDecimal.ZERO;

        Counts(int stages) {
            open = new long[stages];
        }

        void add(Counts o) {
            for (int i = 0; i < open.length; i++) {
                open[i] += o.open[i];
            }
            idle += o.idle;
            entries += o.entries;
            activities += o.activities;
            closed += o.closed;
            closedWithoutHours += o.closedWithoutHours;
            hours = hours.add(o.hours);
        }

        long openTotal() {
            return Arrays.stream(open).sum();
        }
    }

    /**
     * Computes the workload of several nodes in one pass over the opportunities.
     *
     * @param org the org structure
     * @param calendar the calendar whose zone the period's days are in
     * @param process the process (deals of other processes are skipped)
     * @param opportunities the opportunities
     * @param nodes the nodes
     * @param period the period of the entries and closed deals
     * @param asOf the instant open and idle deals are judged at
     * @param idleDays the idle threshold, at least 1 day
     * @return one workload per node, in the order given
     * @throws ValidationException when {@code idleDays} is below 1
     * @throws org.crmkit.core.NotFoundException when a node is unknown
     */
    public static Map<OrgNodeId, Workload> of(OrgStructure org, FiscalCalendar calendar, SalesProcess process,
            Iterable<Opportunity> opportunities, List<? extends OrgNodeId> nodes, Period period, Instant asOf,
            int idleDays) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(asOf, "asOf");
        ValidationException.require(idleDays >= 1, "idleDays", idleDays, "at least 1 day");
        int open = process.openStageCount();
        Instant from = period.start().atStartOfDay(calendar.zone()).toInstant();
        Instant to = period.end().atStartOfDay(calendar.zone()).toInstant();
        Instant idleBefore = asOf.minus(Duration.ofDays(idleDays));
        Map<ManagerId, Counts> counts = new HashMap<>();
        for (Opportunity o : opportunities) {
            if (!o.processId().equals(process.id())) {
                continue;
            }
            Counts c = counts.computeIfAbsent(o.owner(), k -> new Counts(open));
            StageTransition current = null;
            for (StageTransition t : o.transitions()) {
                if (t.at().isAfter(asOf)) {
                    break;
                }
                current = t;
            }
            Instant lastTouch = current == null ? null : current.at();
            for (HistoryEntry h : o.history()) {
                if (!h.at().isBefore(from) && h.at().isBefore(to)) {
                    Counts a = counts.computeIfAbsent(h.author(), k -> new Counts(open));
                    a.entries++;
                    if (h.kind() == HistoryKind.ACTIVITY) {
                        a.activities++;
                    }
                }
                if (!h.at().isAfter(asOf) && (lastTouch == null || h.at().isAfter(lastTouch))) {
                    lastTouch = h.at();
                }
            }
            if (current != null) {
                int s = process.indexOf(current.to());
                if (s < open) {
                    c.open[s]++;
                    if (lastTouch.isBefore(idleBefore)) {
                        c.idle++;
                    }
                }
            }
            CloseInfo close = o.closeInfo().orElse(null);
            // a close is in the period when its closing transition is (as every funnel places it)
            if (close != null && period.contains(LocalDate.ofInstant(o.closedAt().orElseThrow(), calendar.zone()))) {
                c.closed++;
                if (close.hoursSpent() == null) {
                    c.closedWithoutHours++;
                } else {
                    c.hours = c.hours.add(close.hoursSpent());
                }
            }
        }
        List<String> codes = process.openStages().stream().map(Stage::code).toList();
        Map<OrgNodeId, Workload> out = new LinkedHashMap<>();
        for (OrgNodeId node : nodes) {
            Set<ManagerId> members = org.membersOf(node);
            Counts sum = new Counts(open);
            long[] openPer = new long[members.size()];
            long[] activitiesPer = new long[members.size()];
            int i = 0;
            for (ManagerId m : members) {
                Counts c = counts.getOrDefault(m, new Counts(open));
                sum.add(c);
                openPer[i] = c.openTotal();
                activitiesPer[i] = c.activities;
                i++;
            }
            double avgOpen = mean(openPer);
            List<ManagerWorkload> lines = new ArrayList<>();
            for (ManagerId m : members) {
                Counts c = counts.getOrDefault(m, new Counts(open));
                lines.add(line(m.key(), org.nameOf(m), c, avgOpen == 0 ? null : c.openTotal() / avgOpen));
            }
            lines.sort((a, b) -> a.openDeals() != b.openDeals() ? Long.compare(b.openDeals(), a.openDeals())
                    : a.key().compareTo(b.key()));
            out.put(node, new Workload(node, process.id().value(), codes, period, asOf, idleDays,
                    line(node.key(), org.nameOf(node), sum, null), lines, avgOpen, median(openPer),
                    mean(activitiesPer), median(activitiesPer)));
        }
        return out;
    }

    private static ManagerWorkload line(String key, String name, Counts c, Double ratio) {
        List<Long> byStage = new ArrayList<>(c.open.length);
        for (long v : c.open) {
            byStage.add(v);
        }
        return new ManagerWorkload(key, name, c.openTotal(), byStage, c.idle, c.entries, c.activities, c.closed, c.hours,
                c.closedWithoutHours, ratio);
    }

    private static double mean(long[] values) {
        return values.length == 0 ? 0 : (double) Arrays.stream(values).sum() / values.length;
    }

    private static double median(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
