package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;

/**
 * The changes of a book between two instants, from each deal's history: every deal
 * reconstructed as of both ({@link Opportunity#asOf}) and valued by the forecast engine as of
 * each (its values, categories and conversion policy), so a waterfall agrees with the
 * forecasts of both days. Ask for the {@link #waterfall} of any node and period; the
 * reconstruction is done once. Deals are placed in a node by their owner <em>at each
 * instant</em> and the org structure as it is now.
 *
 * <p>Unlike Salesforce's Pipeline Inspection, there is no record limit and no horizon: a deal
 * pushed years out is MOVED_OUT like one pushed a week.
 */
public final class PipelineChanges {
    private final Instant from;
    private final Instant to;
    private final String currency;

    /** A deal at one instant. */
    private record State(boolean exists, boolean open, OpportunityStatus status, ManagerId owner, LocalDate closeDate,
            String stage, int stageIndex, ForecastCategory category, BigDecimal value) {
        static final State ABSENT = new State(false, false, null, null, null, null, -1, null, BigDecimal.ZERO);
    }

    /** A deal's change with its rank by id. */
    private record Ranked(int rank, PipelineChange change) {
    }

    /** A deal at both instants. */
    private record Deal(OpportunityId id, State at0, State at1, boolean incomplete, int rank) {
    }

    /** The deals by their owner at the opening instant (absent ones in none). */
    private final Map<ManagerId, List<Deal>> byOpeningOwner = new HashMap<>();
    /** The deals by their owner at the closing instant, where it differs from the opening one. */
    private final Map<ManagerId, List<Deal>> byNewClosingOwner = new HashMap<>();

    private PipelineChanges(Instant from, Instant to, String currency, List<Deal> deals) {
        this.from = from;
        this.to = to;
        this.currency = currency;
        // a node's waterfall reads only the deals its members owned at either instant, so the
        // waterfalls of every unit cost about the depth of the tree times the book, not the
        // number of units times the book
        for (Deal d : deals) {
            if (d.at0().owner() != null) {
                byOpeningOwner.computeIfAbsent(d.at0().owner(), k -> new ArrayList<>()).add(d);
            }
            if (d.at1().owner() != null && !d.at1().owner().equals(d.at0().owner())) {
                byNewClosingOwner.computeIfAbsent(d.at1().owner(), k -> new ArrayList<>()).add(d);
            }
        }
    }

    /** The deals a node's members owned at either instant, each once. */
    private List<Deal> candidates(Set<ManagerId> members) {
        List<Deal> out = new ArrayList<>();
        for (ManagerId m : members) {
            out.addAll(byOpeningOwner.getOrDefault(m, List.of()));
            for (Deal d : byNewClosingOwner.getOrDefault(m, List.of())) {
                if (d.at0().owner() == null || !members.contains(d.at0().owner())) {
                    out.add(d); // not already listed under its opening owner
                }
            }
        }
        return out;
    }

    /**
     * Reconstructs a book at two instants.
     *
     * @param engine the forecast engine (values, categories, exchange rates, processes)
     * @param opportunities the deals as they are now, with their history
     * @param from the opening instant
     * @param to the closing instant, not before {@code from}
     * @return the changes, ready for waterfalls
     * @throws ValidationException when {@code to} is before {@code from}
     */
    public static PipelineChanges between(ForecastEngine engine, Collection<Opportunity> opportunities, Instant from,
            Instant to) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(opportunities, "opportunities");
        ValidationException.require(!to.isBefore(Objects.requireNonNull(from, "from")), "to", to,
                "an instant not before from " + from);
        List<Opportunity> then = new ArrayList<>(opportunities.size());
        List<Opportunity> now = new ArrayList<>(opportunities.size());
        for (Opportunity o : opportunities) {
            if (o.status() != OpportunityStatus.OPEN && !o.stageEnteredAt().isAfter(from)) {
                // closed at the opening and nothing has moved its stage since: in neither pipeline
                continue;
            }
            o.asOf(from).ifPresent(then::add);
            o.asOf(to).ifPresent(now::add);
        }
        Map<OpportunityId, State> s0 = states(engine, then, engine.config().calendar().dateOf(from));
        Map<OpportunityId, State> s1 = states(engine, now, engine.config().calendar().dateOf(to));
        List<Deal> deals = new ArrayList<>(s1.size());
        for (Opportunity o : opportunities) {
            State a = s0.getOrDefault(o.id(), State.ABSENT);
            State b = s1.getOrDefault(o.id(), State.ABSENT);
            if (a.open() || b.open()) {
                deals.add(new Deal(o.id(), a, b, a.exists() && o.historyStart().isAfter(from), 0));
            }
        }
        // ranked by id once, so each waterfall orders its deals by numbers, not by text
        deals.sort(Comparator.comparing(d -> d.id().value()));
        for (int i = 0; i < deals.size(); i++) {
            Deal d = deals.get(i);
            deals.set(i, new Deal(d.id(), d.at0(), d.at1(), d.incomplete(), i));
        }
        return new PipelineChanges(from, to, engine.config().reportingCurrency().getCurrencyCode(), deals);
    }

    private static Map<OpportunityId, State> states(ForecastEngine engine, List<Opportunity> opps, LocalDate asOf) {
        Map<OpportunityId, ForecastLine> lines = new HashMap<>(opps.size() * 2);
        // only an open deal has a pipeline value; a closed one needs its status alone
        List<Opportunity> openNow = opps.stream().filter(o -> o.status() == OpportunityStatus.OPEN).toList();
        for (ForecastLine line : engine.snapshot(openNow, asOf).lines()) {
            lines.put(line.id(), line);
        }
        Map<OpportunityId, State> out = new HashMap<>(opps.size() * 2);
        for (Opportunity o : opps) {
            boolean open = o.status() == OpportunityStatus.OPEN;
            ForecastLine line = lines.get(o.id());
            SalesProcess process = engine.processes().get(o.processId());
            out.put(o.id(), new State(true, open, o.status(), o.owner(), o.expectedCloseDate(), o.stage(),
                    process == null ? -1 : process.indexOf(o.stage()), open && line != null ? line.category() : null,
                    open && line != null ? line.amount() : BigDecimal.ZERO));
        }
        return out;
    }

    /**
     * The opening instant.
     *
     * @return from
     */
    public Instant from() {
        return from;
    }

    /**
     * The closing instant.
     *
     * @return to
     */
    public Instant to() {
        return to;
    }

    /**
     * The waterfall of a node's pipeline for a period.
     *
     * @param org the org structure
     * @param node a manager or unit
     * @param period the period the deals are expected to close in
     * @return the waterfall
     * @throws org.crmkit.core.NotFoundException when the node is unknown
     */
    public PipelineWaterfall waterfall(OrgStructure org, OrgNodeId node, Period period) {
        Objects.requireNonNull(period, "period");
        Set<ManagerId> members = org.membersOf(Objects.requireNonNull(node, "node"));
        long openingCount = 0;
        long closingCount = 0;
        BigDecimal opening = BigDecimal.ZERO;
        BigDecimal closing = BigDecimal.ZERO;
        long[] counts = new long[PipelineStep.values().length];
        BigDecimal[] deltas = new BigDecimal[counts.length];
        java.util.Arrays.fill(deltas, BigDecimal.ZERO);
        List<List<Ranked>> byStep = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            byStep.add(new ArrayList<>());
        }
        long incomplete = 0;
        for (Deal d : candidates(members)) {
            boolean in0 = inPipeline(d.at0(), members, period);
            boolean in1 = inPipeline(d.at1(), members, period);
            if (!in0 && !in1) {
                continue;
            }
            EnumSet<PipelineStep> kinds = kinds(d.at0(), d.at1(), in0, in1, members, period);
            PipelineStep step = kinds.iterator().next(); // EnumSet iterates in precedence order
            BigDecimal v0 = in0 ? d.at0().value() : BigDecimal.ZERO;
            BigDecimal v1 = in1 ? d.at1().value() : BigDecimal.ZERO;
            if (in0) {
                openingCount++;
                opening = opening.add(v0);
            }
            if (in1) {
                closingCount++;
                closing = closing.add(v1);
            }
            counts[step.ordinal()]++;
            deltas[step.ordinal()] = deltas[step.ordinal()].add(v1.subtract(v0));
            if (d.incomplete()) {
                incomplete++;
            }
            State a = d.at0();
            State b = d.at1();
            byStep.get(step.ordinal()).add(new Ranked(d.rank(), new PipelineChange(d.id(), step, kinds, v0, v1,
                    Optional.ofNullable(a.owner()), b.owner(), Optional.ofNullable(a.closeDate()), b.closeDate(),
                    Optional.ofNullable(a.stage()), b.stage(), Optional.ofNullable(a.category()),
                    Optional.ofNullable(b.category()))));
        }
        // by primary step, then id (the deals' rank by id, so numbers are compared, not text)
        List<PipelineChange> changes = new ArrayList<>();
        for (List<Ranked> step : byStep) {
            step.sort(Comparator.comparingInt(Ranked::rank));
            for (Ranked r : step) {
                changes.add(r.change());
            }
        }
        List<PipelineWaterfall.Step> steps = new ArrayList<>(counts.length);
        for (PipelineStep s : PipelineStep.values()) {
            steps.add(new PipelineWaterfall.Step(s, counts[s.ordinal()], deltas[s.ordinal()]));
        }
        return new PipelineWaterfall(node, period, from, to, currency, openingCount, opening, closingCount, closing,
                steps, changes, incomplete);
    }

    /**
     * The waterfalls of several nodes for one period (the company and every unit, say), from
     * the one reconstruction.
     *
     * @param org the org structure
     * @param nodes the nodes
     * @param period the period
     * @return the waterfall per node, in the order given
     */
    public Map<OrgNodeId, PipelineWaterfall> waterfalls(OrgStructure org, Collection<? extends OrgNodeId> nodes,
            Period period) {
        Map<OrgNodeId, PipelineWaterfall> out = new LinkedHashMap<>();
        for (OrgNodeId node : nodes) {
            out.put(node, waterfall(org, node, period));
        }
        return out;
    }

    private static boolean inPipeline(State s, Set<ManagerId> members, Period period) {
        return s.open() && members.contains(s.owner()) && period.contains(s.closeDate());
    }

    private static EnumSet<PipelineStep> kinds(State a, State b, boolean in0, boolean in1, Set<ManagerId> members,
            Period period) {
        EnumSet<PipelineStep> k = EnumSet.noneOf(PipelineStep.class);
        if (in0 && !in1) {
            if (b.status() == OpportunityStatus.WON) {
                k.add(PipelineStep.WON);
            } else if (b.status() == OpportunityStatus.LOST) {
                k.add(PipelineStep.LOST);
            } else {
                if (!period.contains(b.closeDate())) {
                    k.add(PipelineStep.MOVED_OUT);
                }
                if (!members.contains(b.owner())) {
                    k.add(PipelineStep.REASSIGNED_OUT);
                }
            }
        } else if (!in0 && in1) {
            if (!a.exists()) {
                k.add(PipelineStep.NEW);
            } else if (!a.open()) {
                k.add(PipelineStep.REOPENED);
            } else {
                if (!period.contains(a.closeDate())) {
                    k.add(PipelineStep.MOVED_IN);
                }
                if (!members.contains(a.owner())) {
                    k.add(PipelineStep.REASSIGNED_IN);
                }
            }
        }
        if (a.exists() && b.exists()) {
            if (in0 && in1) {
                int c = b.value().compareTo(a.value());
                if (c > 0) {
                    k.add(PipelineStep.AMOUNT_UP);
                } else if (c < 0) {
                    k.add(PipelineStep.AMOUNT_DOWN);
                }
                if (b.closeDate().isAfter(a.closeDate())) {
                    k.add(PipelineStep.PUSHED);
                } else if (b.closeDate().isBefore(a.closeDate())) {
                    k.add(PipelineStep.PULLED);
                }
            }
            if (a.open() && b.open()) {
                if (b.stageIndex() > a.stageIndex()) {
                    k.add(PipelineStep.STAGE_FORWARD);
                } else if (b.stageIndex() < a.stageIndex()) {
                    k.add(PipelineStep.STAGE_BACKWARD);
                }
                if (a.category() != null && b.category() != null) {
                    // CLOSED, COMMIT, BEST_CASE, PIPELINE, OMITTED: a lower ordinal is a higher category
                    if (b.category().ordinal() < a.category().ordinal()) {
                        k.add(PipelineStep.CATEGORY_UP);
                    } else if (b.category().ordinal() > a.category().ordinal()) {
                        k.add(PipelineStep.CATEGORY_DOWN);
                    }
                }
            }
        }
        if (in0 && in1 && k.isEmpty()) {
            k.add(PipelineStep.UNCHANGED);
        }
        return k;
    }
}
