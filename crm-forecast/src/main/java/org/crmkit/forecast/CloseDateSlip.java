package org.crmkit.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.TrackedField;
import org.crmkit.core.ValidationException;

/**
 * How often and how far expected close dates moved: every change of
 * {@link TrackedField#EXPECTED_CLOSE_DATE} in the deals' field history, within an optional
 * window, as a push (to a later date) or a pull (to an earlier one), per deal and per manager.
 *
 * <p>A move belongs to the manager who owned the deal <em>when it happened</em> (the owner
 * reconstructed at the change, {@link Opportunity#asOf}), not to the owner now: a manager who
 * takes over a deal does not inherit the slips of the one before. So a manager's figures are the
 * sum of the moves of their deals while they held them, and a deal handed over has moves under
 * two managers. A unit's figures ({@link #rollUp}) are the moves made under its distinct members,
 * each counted once however many paths lead to a member. Days are calendar days between the two
 * dates; {@code daysPushed} adds up the later moves only, so a push of 30 days and a pull of 10
 * are 30 days slipped, {@code netDays} = 20. Moves before a deal's
 * {@link Opportunity#historyStart()} are not known; such deals are counted in
 * {@code incompleteHistory}.
 *
 * @param from the window's first instant, inclusive; null for no lower bound
 * @param to the window's last instant, inclusive; null for no upper bound
 * @param deals every deal with at least one move in the window, by id
 * @param managers every manager under whom a move was made, by id
 */
public record CloseDateSlip(Instant from, Instant to, List<DealSlip> deals, List<NodeSlip> managers) {
    /**
     * Validates the window and copies the lists.
     *
     * @throws ValidationException when {@code to} is before {@code from}
     */
    public CloseDateSlip {
        ValidationException.require(from == null || to == null || !to.isBefore(from), "to", to,
                "an instant not before from " + from);
        deals = List.copyOf(ValidationException.requireNonNull(deals, "deals"));
        managers = List.copyOf(ValidationException.requireNonNull(managers, "managers"));
    }

    /**
     * One move of a deal's expected close date.
     *
     * @param at when it happened
     * @param owner the deal's owner then
     * @param by who made the change
     * @param fromDate the date before
     * @param toDate the date after
     * @param days {@code toDate − fromDate} in days: positive for a push, negative for a pull
     */
    public record Move(Instant at, ManagerId owner, ManagerId by, LocalDate fromDate, LocalDate toDate, long days) {
        /**
         * Checks the days.
         *
         * @throws ValidationException when a value is missing or the days disagree with the dates
         */
        public Move {
            ValidationException.requireNonNull(at, "at");
            ValidationException.requireNonNull(owner, "owner");
            ValidationException.requireNonNull(fromDate, "fromDate");
            ValidationException.requireNonNull(toDate, "toDate");
            ValidationException.require(days == ChronoUnit.DAYS.between(fromDate, toDate), "days", days,
                    "the days from " + fromDate + " to " + toDate);
        }
    }

    /**
     * The moves of one deal.
     *
     * @param id the deal
     * @param owner its owner now
     * @param pushes moves to a later date
     * @param pulls moves to an earlier date
     * @param daysPushed the days of the pushes added up
     * @param daysPulled the days of the pulls added up, positive
     * @param netDays {@code daysPushed − daysPulled}
     * @param incompleteHistory whether the deal's field history starts after its creation and
     *     after the window's start, so earlier moves are not known
     * @param moves every move in the window, oldest first
     */
    public record DealSlip(OpportunityId id, ManagerId owner, long pushes, long pulls, long daysPushed,
            long daysPulled, long netDays, boolean incompleteHistory, List<Move> moves) {
        /**
         * Copies the moves.
         */
        public DealSlip {
            moves = List.copyOf(moves);
        }
    }

    /**
     * The moves made under one manager (or, from {@link #rollUp}, under a unit's members).
     *
     * @param node the manager or unit
     * @param deals the deals with at least one of these moves
     * @param pushes moves to a later date
     * @param pulls moves to an earlier date
     * @param daysPushed the days of the pushes added up
     * @param daysPulled the days of the pulls added up, positive
     * @param netDays {@code daysPushed − daysPulled}
     * @param incompleteHistory how many of those deals have an incomplete history
     */
    public record NodeSlip(OrgNodeId node, long deals, long pushes, long pulls, long daysPushed, long daysPulled,
            long netDays, long incompleteHistory) {
    }

    /**
     * The moves of every deal's expected close date in a window.
     *
     * @param opportunities the deals as they are now, with their history
     * @param from the window's first instant, inclusive; null for no lower bound
     * @param to the window's last instant, inclusive; null for no upper bound
     * @return the slips
     * @throws ValidationException when {@code to} is before {@code from}
     */
    public static CloseDateSlip of(Collection<Opportunity> opportunities, Instant from, Instant to) {
        Objects.requireNonNull(opportunities, "opportunities");
        ValidationException.require(from == null || to == null || !to.isBefore(from), "to", to,
                "an instant not before from " + from);
        List<DealSlip> deals = new ArrayList<>();
        for (Opportunity o : opportunities) {
            List<Move> moves = new ArrayList<>();
            for (FieldChange c : o.changes()) {
                if (c.field() != TrackedField.EXPECTED_CLOSE_DATE || from != null && c.at().isBefore(from)
                        || to != null && c.at().isAfter(to)) {
                    continue;
                }
                LocalDate before = (LocalDate) c.fromValue().orElse(null);
                LocalDate after = (LocalDate) c.toValue().orElse(null);
                if (before == null || after == null) {
                    continue; // an expected close date is always set; a history without one moves nothing
                }
                // the owner then: changes at the same instant as a hand-over are the new owner's
                ManagerId owner = o.asOf(c.at()).map(Opportunity::owner).orElse(o.owner());
                moves.add(new Move(c.at(), owner, c.by(), before, after, ChronoUnit.DAYS.between(before, after)));
            }
            if (moves.isEmpty()) {
                continue;
            }
            boolean incomplete = o.historyStart().isAfter(o.createdAt())
                    && (from == null || o.historyStart().isAfter(from));
            long[] t = totals(moves);
            deals.add(new DealSlip(o.id(), o.owner(), t[0], t[1], t[2], t[3], t[2] - t[3], incomplete, moves));
        }
        deals.sort(Comparator.comparing(d -> d.id().value()));
        TreeMap<String, ManagerId> owners = new TreeMap<>();
        for (DealSlip d : deals) {
            d.moves().forEach(m -> owners.put(m.owner().value(), m.owner()));
        }
        List<NodeSlip> managers = new ArrayList<>();
        for (ManagerId m : owners.values()) {
            managers.add(slipOf(m, Set.of(m), deals));
        }
        return new CloseDateSlip(from, to, deals, managers);
    }

    private static long[] totals(List<Move> moves) {
        long[] t = new long[4];
        for (Move m : moves) {
            if (m.days() > 0) {
                t[0]++;
                t[2] = Math.addExact(t[2], m.days());
            } else {
                t[1]++;
                t[3] = Math.addExact(t[3], -m.days());
            }
        }
        return t;
    }

    private static NodeSlip slipOf(OrgNodeId node, Set<ManagerId> members, List<DealSlip> deals) {
        long count = 0;
        long incomplete = 0;
        List<Move> mine = new ArrayList<>();
        for (DealSlip d : deals) {
            boolean any = false;
            for (Move m : d.moves()) {
                if (members.contains(m.owner())) {
                    mine.add(m);
                    any = true;
                }
            }
            if (any) {
                count++;
                if (d.incompleteHistory()) {
                    incomplete++;
                }
            }
        }
        long[] t = totals(mine);
        return new NodeSlip(node, count, t[0], t[1], t[2], t[3], t[2] - t[3], incomplete);
    }

    /**
     * The moves made under a node: a manager's own, or those of a unit's distinct members.
     *
     * @param org the org structure
     * @param node a manager or unit
     * @return the node's figures (zero when no move was made under it)
     * @throws org.crmkit.core.NotFoundException when the node is unknown
     */
    public NodeSlip rollUp(OrgStructure org, OrgNodeId node) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(node, "node");
        return slipOf(node, new HashSet<>(org.membersOf(node)), deals);
    }

    /**
     * The moves of one deal.
     *
     * @param id the deal
     * @return its slip, empty when it had no move in the window
     */
    public java.util.Optional<DealSlip> deal(OpportunityId id) {
        Objects.requireNonNull(id, "id");
        return deals.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
