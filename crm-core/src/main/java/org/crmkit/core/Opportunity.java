package org.crmkit.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;

/**
 * A sale in progress or closed: the central aggregate of crmkit. Immutable; every change
 * makes a new instance ({@link #toBuilder()}, or the {@link SalesProcessEngine} for stage
 * changes, which also appends the {@link StageTransition}).
 *
 * <p>Invariants checked on construction (each failure is a {@link ValidationException}
 * naming the field, the value and the opportunity's id):
 * <ul>
 *   <li>every key, text, amount, decimal, date and instant is within {@link StoreLimits}, so
 *       every store keeps it unchanged;</li>
 *   <li>probability is 0–100 percent (when not set, the current stage's default of the
 *       process given to the builder); amount, budget and actual revenue are in the
 *       opportunity currency, not negative, and exact at its minor unit;</li>
 *   <li>the client is optional (a deal without an account yet);</li>
 *   <li>the expected close date and the close date are not before the day of creation
 *       (checked leniently: the earliest calendar day the creation instant falls on in any
 *       time zone, UTC−12, so a deal created late in the evening in America is valid); a
 *       closed opportunity needs no expected close date (it is then its close date);</li>
 *   <li>the stage transitions form a chain from the entry at creation (from = null) to the
 *       current stage, in time order, none before creation;</li>
 *   <li>the status follows from the stage ({@link SalesProcess#WON}, {@link SalesProcess#LOST},
 *       otherwise open) and close data is present exactly when closed; a won opportunity has
 *       its actual revenue;</li>
 *   <li>a closed opportunity has a <em>closing transition</em> from an open stage into its
 *       terminal stage (one created won or lost would have a cycle of 0 days and reach no
 *       stage), and its close date is that transition's day: taken from it (its UTC date)
 *       when not given, otherwise checked against it leniently (its day in some zone from
 *       UTC−12 to UTC+14). The transition is the one source of truth for <em>when</em> the deal
 *       closed ({@link #closedAt()}): every funnel, forecast and report places a close in a
 *       period by that instant's date in its calendar's zone, never by the close date, so they
 *       agree in any zone. The close date is the day recorded with the close and the rate date
 *       of a won deal's revenue.</li>
 * </ul>
 * Rules that need the process (stage codes, step codes) are checked when the builder is
 * given the process ({@link Builder#process(SalesProcess)}), and by
 * {@link #requireConformsTo(SalesProcess)}, which stores call before writing.
 *
 * <p>{@link #version()} is the optimistic-locking version: 0 for an opportunity never
 * stored, then the version a store assigned; a store rejects an update whose version is
 * not the stored one.
 */
public final class Opportunity {
    private static final ZoneOffset EARLIEST_ZONE = ZoneOffset.ofHours(-12);
    private static final ZoneOffset LATEST_ZONE = ZoneOffset.ofHours(14);

    private final OpportunityId id;
    private final String title;
    private final ClientRef client;
    private final ManagerId owner;
    private final ProcessId processId;
    private final String stage;
    private final int probability;
    private final CurrencyUnit currency;
    private final MonetaryAmount budget;
    private final MonetaryAmount amount;
    private final Instant createdAt;
    private final LocalDate expectedCloseDate;
    private final String tactic;
    private final List<Competitor> competitors;
    private final List<Participant> participants;
    private final List<Lead> leads;
    private final List<ProductLine> productLines;
    private final List<HistoryEntry> history;
    private final List<StageTransition> transitions;
    private final List<FieldChange> changes;
    private final Set<String> completedSteps;
    private final CloseInfo closeInfo;
    private final ForecastCategory forecastCategory;
    private final long version;

    private Opportunity(Builder b) {
        // Every failure below names the opportunity: one bad row among thousands is found by
        // its id, not by its field alone.
        try {
            // 1. identity and references
            this.id = ValidationException.requireNonNull(b.id, "id");
            this.title = StoreLimits.requireNonBlank(b.title, "title");
            this.client = b.client;
            this.owner = ValidationException.requireNonNull(b.owner, "owner");
            this.processId = ValidationException.requireNonNull(b.processId, "processId");
            this.stage = StoreLimits.requireKey(b.stage, "stage");
            // 2. money: every amount in the opportunity currency
            this.currency = requireCurrency(b);
            this.budget = b.budget == null ? null : Amounts.requireValid(b.budget, currency, "budget");
            this.amount = b.amount == null ? null : Amounts.requireValid(b.amount, currency, "amount");
            this.productLines = List.copyOf(b.productLines);
            for (ProductLine line : productLines) {
                if (!line.unitPrice().getCurrency().equals(currency)) {
                    throw new ValidationException("productLine.unitPrice.currency",
                            line.unitPrice().getCurrency().getCurrencyCode(),
                            "the opportunity currency " + currency.getCurrencyCode());
                }
            }
            // 3. time: creation, stage history, close data and expected close date; instants and
            // dates are checked against StoreLimits before any calendar day is derived from them
            // (at the edge of Instant's range that throws a raw DateTimeException)
            this.createdAt = StoreLimits.requireInstant(ValidationException.requireNonNull(b.createdAt, "createdAt"),
                    "createdAt");
            this.transitions = List.copyOf(b.transitions.isEmpty()
                    ? List.of(new StageTransition(null, stage, createdAt, owner))
                    : b.transitions);
            checkTransitions();
            LocalDate earliestCreationDay = LocalDate.ofInstant(createdAt, EARLIEST_ZONE);
            this.closeInfo = checkedCloseInfo(b.closeInfo, earliestCreationDay);
            this.expectedCloseDate = b.expectedCloseDate != null
                    ? StoreLimits.requireDate(b.expectedCloseDate, "expectedCloseDate")
                    : closeInfo != null ? closeInfo.closeDate()
                    : ValidationException.requireNonNull(b.expectedCloseDate, "expectedCloseDate");
            // Messages are built only on failure: this constructor runs for every row a store
            // reads and every generated opportunity, and formatting instants dominated its cost.
            if (expectedCloseDate.isBefore(earliestCreationDay)) {
                throw new ValidationException("expectedCloseDate", expectedCloseDate,
                        "a date not before the creation date " + earliestCreationDay);
            }
            // 4. the rest
            this.probability = probability(b);
            this.tactic = b.tactic == null ? "" : StoreLimits.requireText(b.tactic, "tactic");
            this.competitors = List.copyOf(b.competitors);
            this.participants = List.copyOf(b.participants);
            this.leads = List.copyOf(b.leads);
            this.history = List.copyOf(b.history);
            this.changes = List.copyOf(b.changes);
            this.completedSteps = Set.copyOf(new LinkedHashSet<>(b.completedSteps));
            for (String step : completedSteps) {
                StoreLimits.requireKey(step, "completedSteps");
            }
            this.forecastCategory = b.forecastCategory;
            ValidationException.require(b.version >= 0, "version", b.version, "a version >= 0");
            this.version = b.version;
            if (!changes.isEmpty()) {
                checkChanges(earliestCreationDay);
            }
            // 5. the rules that need the process, when the builder was given it
            if (b.process != null) {
                requireConformsTo(b.process);
            }
        } catch (ValidationException e) {
            throw e.forOpportunity(b.id);
        }
    }

    private static CurrencyUnit requireCurrency(Builder b) {
        if (b.currency == null) {
            throw new ValidationException("currency", null, "the opportunity currency: set currency(...), or an"
                    + " amount or budget, which sets it");
        }
        return StoreLimits.requireCurrency(b.currency, "currency");
    }

    /** The probability set, else the stage's default when the builder knows the process. */
    private int probability(Builder b) {
        if (b.probability == null) {
            if (b.process == null) {
                throw new ValidationException("probability", null, "a percentage from 0 to 100, or process(...) on"
                        + " the builder to take the stage's default");
            }
            return b.process.stage(stage).defaultProbability();
        }
        ValidationException.require(b.probability >= 0 && b.probability <= 100, "probability", b.probability,
                "between 0 and 100");
        return b.probability;
    }

    /**
     * Close data is present exactly when the opportunity is closed; its date is the closing
     * transition's (its UTC date when not given) and agrees with it in some time zone, so
     * funnel (by transition) and forecast (by close date) put a deal in the same period.
     */
    private CloseInfo checkedCloseInfo(CloseInfo given, LocalDate earliestCreationDay) {
        OpportunityStatus status = status();
        if (!status.isClosed()) {
            ValidationException.require(given == null, "closeInfo", given, "no close data on an open opportunity");
            return null;
        }
        ValidationException.requireNonNull(given, "closeInfo");
        Instant closedAt = transitions.get(transitions.size() - 1).at();
        CloseInfo close = given.closeDate() != null ? given
                : given.withCloseDate(LocalDate.ofInstant(closedAt, ZoneOffset.UTC));
        LocalDate earliest = LocalDate.ofInstant(closedAt, EARLIEST_ZONE);
        LocalDate latest = LocalDate.ofInstant(closedAt, LATEST_ZONE);
        if (close.closeDate().isBefore(earliest) || close.closeDate().isAfter(latest)) {
            throw new ValidationException("close.closeDate", close.closeDate(),
                    "the day of the closing transition at " + closedAt + " (" + earliest + " to " + latest
                            + " by time zone), or no close date to take it from the transition");
        }
        if (close.closeDate().isBefore(earliestCreationDay)) {
            throw new ValidationException("close.closeDate", close.closeDate(),
                    "a date not before the creation date " + earliestCreationDay);
        }
        if (close.actualRevenue() != null) {
            Amounts.requireValid(close.actualRevenue(), currency, "close.actualRevenue");
        }
        ValidationException.require(status != OpportunityStatus.WON || close.actualRevenue() != null,
                "close.actualRevenue", null, "the revenue of a won opportunity");
        return close;
    }

    private void checkTransitions() {
        StageTransition first = transitions.get(0);
        ValidationException.require(first.from() == null, "transitions[0].from", first.from(),
                "null (the entry at creation)");
        if (first.at().isBefore(createdAt)) {
            throw new ValidationException("transitions[0].at", first.at(),
                    "not before createdAt " + createdAt);
        }
        for (int i = 1; i < transitions.size(); i++) {
            StageTransition prev = transitions.get(i - 1);
            StageTransition t = transitions.get(i);
            if (!prev.to().equals(t.from())) {
                throw new ValidationException("transitions[" + i + "].from", t.from(),
                        "the stage entered before: " + prev.to());
            }
            if (t.at().isBefore(prev.at())) {
                throw new ValidationException("transitions[" + i + "].at", t.at(),
                        "not before the previous transition " + prev.at());
            }
        }
        StageTransition last = transitions.get(transitions.size() - 1);
        if (!last.to().equals(stage)) {
            throw new ValidationException("stage", stage,
                    "the stage the last transition entered: " + last.to());
        }
        // A deal recorded as created won or lost has a cycle of 0 days and reaches no stage:
        // every cycle, time in stage and conversion built on it would be silently wrong.
        if (status().isClosed() && (last.from() == null || SalesProcess.WON.equals(last.from())
                || SalesProcess.LOST.equals(last.from()))) {
            throw new ValidationException("transitions", last.from() == null ? stage + " at creation only"
                    : last.from() + " to " + stage,
                    "a closing transition from an open stage into " + stage
                            + " (e.g. the first stage at creation, then " + stage + " at the close)");
        }
    }

    /**
     * The field history chains: in time order, none before creation, a HISTORY_START only
     * first, and per field each change starts where the previous ended and the last ends at
     * the current value, so {@link #asOf} undoing them is exact.
     */
    private void checkChanges(LocalDate earliestCreationDay) {
        Object[] last = new Object[TrackedField.values().length];
        boolean[] seen = new boolean[last.length];
        Instant previous = createdAt;
        for (int i = 0; i < changes.size(); i++) {
            FieldChange c = changes.get(i);
            String at = "changes[" + i + "]";
            if (c.at().isBefore(previous)) {
                throw new ValidationException(at + ".at", c.at(), i == 0 ? "not before createdAt " + createdAt
                        : "not before the previous change " + previous);
            }
            previous = c.at();
            if (c.field() == TrackedField.HISTORY_START) {
                ValidationException.require(i == 0, at + ".field", c.field(), "HISTORY_START only as the first change");
                continue;
            }
            ValidationException.require(c.field() != TrackedField.STAGE, at + ".field", c.field(),
                    "a field other than STAGE (stage changes are the transitions)");
            Object from = c.field().decode(c.from(), at + ".from");
            Object to = c.field().decode(c.to(), at + ".to");
            int f = c.field().ordinal();
            if (seen[f] && !FieldChange.same(last[f], from)) {
                throw new ValidationException(at + ".from", c.from(),
                        "the value the previous " + c.field() + " change ended with: " + c.field().encode(last[f]));
            }
            if (c.field() == TrackedField.EXPECTED_CLOSE_DATE) {
                for (Object d : new Object[] {from, to}) {
                    if (((LocalDate) d).isBefore(earliestCreationDay)) {
                        throw new ValidationException(at, d, "a date not before the creation date " + earliestCreationDay);
                    }
                }
            }
            seen[f] = true;
            last[f] = to;
        }
        for (TrackedField field : TrackedField.values()) {
            if (seen[field.ordinal()] && !FieldChange.same(last[field.ordinal()], field.valueOn(this))) {
                throw new ValidationException(field.name().toLowerCase(java.util.Locale.ROOT), field.encode(field.valueOn(this)),
                        "the value its last change ended with (" + field.encode(last[field.ordinal()])
                                + "): a tracked field changes through edit(...), which records the change");
            }
        }
    }

    /**
     * Checks the rules that need the process: the process id matches, the stage and every
     * stage in the history exist, and every completed step belongs to the process.
     *
     * @param process the opportunity's process
     * @return this opportunity
     * @throws ValidationException when a rule is broken
     */
    public Opportunity requireConformsTo(SalesProcess process) {
        Objects.requireNonNull(process, "process");
        try {
            if (!process.id().equals(processId)) {
                throw new ValidationException("processId", processId,
                        "the id of the process checked against: " + process.id());
            }
            process.indexOf(stage);
            for (int i = 0; i < transitions.size(); i++) {
                StageTransition t = transitions.get(i);
                try {
                    if (t.from() != null) {
                        process.indexOf(t.from());
                    }
                    process.indexOf(t.to());
                } catch (ValidationException e) {
                    throw e.at("transitions[" + i + "]");
                }
            }
            for (String step : completedSteps) {
                process.stageOfStep(step);
            }
        } catch (ValidationException e) {
            throw e.forOpportunity(id);
        }
        return this;
    }

    /**
     * Starts a builder for a new opportunity.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding every value of this opportunity, to derive a changed copy. When this
     * opportunity has a field history ({@link #changes()}), a tracked field the builder changes
     * without recording its change is recorded by {@link Builder#build()} at that instant, by the
     * owner (use {@link #edit} to say when and by whom; {@link Builder#changes} to replace the
     * history whole, which turns this off).
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.title = title;
        b.client = client;
        b.owner = owner;
        b.processId = processId;
        b.stage = stage;
        b.probability = probability;
        b.currency = currency;
        b.budget = budget;
        b.amount = amount;
        b.createdAt = createdAt;
        b.expectedCloseDate = expectedCloseDate;
        b.tactic = tactic;
        b.competitors.addAll(competitors);
        b.participants.addAll(participants);
        b.leads.addAll(leads);
        b.productLines.addAll(productLines);
        b.history.addAll(history);
        b.transitions.addAll(transitions);
        b.changes.addAll(changes);
        b.origin = this;
        b.completedSteps.addAll(completedSteps);
        b.closeInfo = closeInfo;
        b.forecastCategory = forecastCategory;
        b.version = version;
        return b;
    }

    /**
     * The id.
     *
     * @return the opportunity id
     */
    public OpportunityId id() {
        return id;
    }

    /**
     * The title.
     *
     * @return the title
     */
    public String title() {
        return title;
    }

    /**
     * The client (account or contact) the deal is with.
     *
     * @return the client reference, empty when the deal has none (yet)
     */
    public Optional<ClientRef> client() {
        return Optional.ofNullable(client);
    }

    /**
     * The owner (responsible manager).
     *
     * @return the owner
     */
    public ManagerId owner() {
        return owner;
    }

    /**
     * The sales process.
     *
     * @return the process id
     */
    public ProcessId processId() {
        return processId;
    }

    /**
     * The current stage code.
     *
     * @return the stage code
     */
    public String stage() {
        return stage;
    }

    /**
     * The status, derived from the stage.
     *
     * @return WON at {@link SalesProcess#WON}, LOST at {@link SalesProcess#LOST}, else OPEN
     */
    public OpportunityStatus status() {
        if (SalesProcess.WON.equals(stage)) {
            return OpportunityStatus.WON;
        }
        if (SalesProcess.LOST.equals(stage)) {
            return OpportunityStatus.LOST;
        }
        return OpportunityStatus.OPEN;
    }

    /**
     * The win probability in percent.
     *
     * @return 0–100
     */
    public int probability() {
        return probability;
    }

    /**
     * The opportunity currency: amount, budget, prices and revenue are in it.
     *
     * @return the currency
     */
    public CurrencyUnit currency() {
        return currency;
    }

    /**
     * The client's budget.
     *
     * @return the budget, empty when unknown
     */
    public Optional<MonetaryAmount> budget() {
        return Optional.ofNullable(budget);
    }

    /**
     * The expected deal value.
     *
     * @return the amount, empty when unknown
     */
    public Optional<MonetaryAmount> amount() {
        return Optional.ofNullable(amount);
    }

    /**
     * When the opportunity was created.
     *
     * @return the creation instant
     */
    public Instant createdAt() {
        return createdAt;
    }

    /**
     * When it is expected to close.
     *
     * @return the expected close date; for a closed opportunity built without one, its close
     *     date
     */
    public LocalDate expectedCloseDate() {
        return expectedCloseDate;
    }

    /**
     * The sales tactic (free text).
     *
     * @return the tactic, possibly empty
     */
    public String tactic() {
        return tactic;
    }

    /**
     * The competitors.
     *
     * @return the competitors, unmodifiable
     */
    public List<Competitor> competitors() {
        return competitors;
    }

    /**
     * The client's people taking part in the decision.
     *
     * @return the participants, unmodifiable
     */
    public List<Participant> participants() {
        return participants;
    }

    /**
     * The leads (needs) this opportunity closes.
     *
     * @return the leads, unmodifiable
     */
    public List<Lead> leads() {
        return leads;
    }

    /**
     * The product lines.
     *
     * @return the product lines, unmodifiable
     */
    public List<ProductLine> productLines() {
        return productLines;
    }

    /**
     * The timeline of history entries.
     *
     * @return the entries, unmodifiable
     */
    public List<HistoryEntry> history() {
        return history;
    }

    /**
     * Every stage change, starting with the entry at creation.
     *
     * @return the transitions in time order, unmodifiable, never empty
     */
    public List<StageTransition> transitions() {
        return transitions;
    }

    /**
     * The codes of the process steps done so far.
     *
     * @return the step codes, unmodifiable
     */
    public Set<String> completedSteps() {
        return completedSteps;
    }

    /**
     * The close data.
     *
     * @return the close data, present exactly when the opportunity is closed
     */
    public Optional<CloseInfo> closeInfo() {
        return Optional.ofNullable(closeInfo);
    }

    /**
     * The instant of the closing transition (the last one, into WON or LOST). This instant, not
     * {@link CloseInfo#closeDate()}, says in which period a deal closed: every funnel, forecast
     * and report takes its date in the calendar's zone, so they all put a close in the same
     * period whatever that zone. The close date is the day recorded with the close (derived from
     * this instant when not given) and the date of a won deal's exchange rate.
     *
     * @return the instant, present exactly when the opportunity is closed
     */
    public Optional<Instant> closedAt() {
        return closeInfo == null ? Optional.empty() : Optional.of(transitions.get(transitions.size() - 1).at());
    }

    /**
     * The forecast category set by hand, overriding the one derived from thresholds.
     *
     * @return the category, empty when not set by hand
     */
    public Optional<ForecastCategory> forecastCategory() {
        return Optional.ofNullable(forecastCategory);
    }

    /**
     * The optimistic-locking version.
     *
     * @return 0 when never stored, else the stored version
     */
    public long version() {
        return version;
    }

    /**
     * The stage as of an instant, replayed from the transitions: the stage entered by the last
     * transition in effect at the instant (at or before it, {@link StageReplay#inEffect}).
     *
     * @param instant the instant, inclusive
     * @return the stage code, empty when the opportunity did not exist yet
     */
    public Optional<String> stageAt(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        String result = null;
        for (StageTransition t : transitions) {
            if (!StageReplay.inEffect(t.at(), instant)) {
                break;
            }
            result = t.to();
        }
        return Optional.ofNullable(result);
    }

    /**
     * When the current stage was entered.
     *
     * @return the instant of the last transition
     */
    public Instant stageEnteredAt() {
        return transitions.get(transitions.size() - 1).at();
    }

    /**
     * The stored field history: every change of a {@link TrackedField} other than the stage, in
     * time order, with a {@link TrackedField#HISTORY_START} event first when the history does not
     * go back to creation. Stage changes are {@link #transitions()}; {@link #fieldHistory()}
     * shows both.
     *
     * @return the changes, oldest first
     */
    public List<FieldChange> changes() {
        return changes;
    }

    /**
     * The whole field history: the stored {@link #changes()} and every stage transition as a
     * {@link TrackedField#STAGE} change (the entry at creation from null), in time order; at
     * the same instant a stage change comes first, because the engine changes the probability
     * as a consequence of it.
     *
     * @return every change, oldest first
     */
    public List<FieldChange> fieldHistory() {
        List<FieldChange> out = new ArrayList<>(changes.size() + transitions.size());
        int c = 0;
        for (StageTransition t : transitions) {
            while (c < changes.size() && changes.get(c).at().isBefore(t.at())) {
                out.add(changes.get(c++));
            }
            out.add(new FieldChange(TrackedField.STAGE, t.from(), t.to(), t.at(), t.by()));
        }
        out.addAll(changes.subList(c, changes.size()));
        return List.copyOf(out);
    }

    /**
     * From when the field history is complete: creation, unless the opportunity was stored
     * before field history existed and has a {@link TrackedField#HISTORY_START} event.
     *
     * @return the instant from which every change of a tracked field is known
     */
    public Instant historyStart() {
        return !changes.isEmpty() && changes.get(0).field() == TrackedField.HISTORY_START
                ? changes.get(0).at() : createdAt;
    }

    /**
     * The instant of the latest change of a tracked value ({@link #changes()} other than a
     * {@link TrackedField#HISTORY_START}, which changes none): after it, {@link #asOf} changes no
     * tracked field, so a figure as of a later instant may read the current values. Stores keep
     * it beside the row to tell, without reading the history, which deals a past figure must
     * reconstruct.
     *
     * @return the instant, empty when no tracked value has ever changed
     */
    public Optional<Instant> lastChangeAt() {
        // the changes are in time order and a HISTORY_START can only come first
        FieldChange last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
        return last == null || last.field() == TrackedField.HISTORY_START ? Optional.empty()
                : Optional.of(last.at());
    }

    /**
     * Whether the field history starts after an instant ({@link #historyStart()} later than it,
     * a {@link TrackedField#HISTORY_START}: the deal was stored before its store kept field
     * history): its values then are unknown, and {@link #asOf} gives those at the start.
     *
     * @param instant the instant
     * @return true when the history starts after the instant
     */
    public boolean historyStartsAfter(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return !changes.isEmpty() && changes.get(0).field() == TrackedField.HISTORY_START
                && changes.get(0).at().isAfter(instant);
    }

    /**
     * Whether a tracked value changed after an instant ({@link #lastChangeAt()} later than it):
     * then the deal as of that instant ({@link #asOf}) holds other values than now.
     *
     * @param instant the instant
     * @return true when a change of a tracked value is later than the instant
     */
    public boolean changedAfter(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        FieldChange last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
        return last != null && last.field() != TrackedField.HISTORY_START && last.at().isAfter(instant);
    }

    /**
     * The opportunity as it was at an instant, reconstructed from its history: the stage from
     * the transitions in effect ({@link StageReplay#inEffect}: at or before the instant), the
     * tracked fields by undoing every later change, and what else was known then.
     * <ul>
     *   <li>transitions, changes and timeline entries: those at or before the instant;</li>
     *   <li>close data: kept when the deal was closed then by the same close as now; dropped
     *       when it was open then; when it was closed then but has been reopened since, the
     *       close then is reconstructed with the close day of its transition (UTC) and, if won,
     *       its amount then as the revenue (the revenue recorded then is not kept);</li>
     *   <li>product lines: kept, unless the currency was different then (they are priced in the
     *       current one), then none;</li>
     *   <li>completed steps, title, client, tactic, competitors, participants and leads: as now
     *       (their changes are not tracked);</li>
     *   <li>before {@link #historyStart()}: the tracked fields other than the stage are those at
     *       the history start, the only values known.</li>
     * </ul>
     * The version is kept; the result describes the past and is not meant to be written back.
     *
     * @param instant the instant, inclusive
     * @return the opportunity then, empty when it did not exist yet (before creation or its
     *     entry transition)
     */
    public Optional<Opportunity> asOf(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        int kept = 0;
        while (kept < transitions.size() && StageReplay.inEffect(transitions.get(kept).at(), instant)) {
            kept++;
        }
        if (instant.isBefore(createdAt) || kept == 0) {
            return Optional.empty();
        }
        int keptChanges = 0;
        while (keptChanges < changes.size() && StageReplay.inEffect(changes.get(keptChanges).at(), instant)) {
            keptChanges++;
        }
        if (keptChanges == 0 && !changes.isEmpty() && changes.get(0).field() == TrackedField.HISTORY_START) {
            keptChanges = 1; // the start of the history is kept: the result still says what is not known
        }
        boolean allHistory = history.stream().allMatch(h -> StageReplay.inEffect(h.at(), instant));
        if (kept == transitions.size() && keptChanges == changes.size() && allHistory) {
            return Optional.of(this);
        }
        Object[] values = new Object[TrackedField.values().length];
        for (TrackedField f : TrackedField.values()) {
            values[f.ordinal()] = f.valueOn(this);
        }
        for (int i = changes.size() - 1; i >= keptChanges; i--) {
            FieldChange c = changes.get(i);
            if (c.field() != TrackedField.HISTORY_START) {
                values[c.field().ordinal()] = c.field().decode(c.from(), "changes[" + i + "].from");
            }
        }
        CurrencyUnit currencyThen = (CurrencyUnit) values[TrackedField.CURRENCY.ordinal()];
        MonetaryAmount amountThen = (MonetaryAmount) values[TrackedField.AMOUNT.ordinal()];
        StageTransition lastThen = transitions.get(kept - 1);
        String stageThen = lastThen.to();
        CloseInfo closeThen = null;
        if (SalesProcess.WON.equals(stageThen) || SalesProcess.LOST.equals(stageThen)) {
            closeThen = kept == transitions.size() && closeInfo != null ? closeInfo
                    : new CloseInfo(LocalDate.ofInstant(lastThen.at(), ZoneOffset.UTC),
                            SalesProcess.WON.equals(stageThen)
                                    ? (amountThen != null ? amountThen : Amounts.of(java.math.BigDecimal.ZERO, currencyThen))
                                    : null, null, null, null);
        }
        Builder b = toBuilder()
                .transitions(transitions.subList(0, kept))
                .stage(stageThen)
                .changes(changes.subList(0, keptChanges))
                .history(history.stream().filter(h -> StageReplay.inEffect(h.at(), instant)).toList())
                .currency(currencyThen)
                .amount(amountThen)
                .budget((MonetaryAmount) values[TrackedField.BUDGET.ordinal()])
                .expectedCloseDate((LocalDate) values[TrackedField.EXPECTED_CLOSE_DATE.ordinal()])
                .probability((Integer) values[TrackedField.PROBABILITY.ordinal()])
                .forecastCategory((ForecastCategory) values[TrackedField.FORECAST_CATEGORY.ordinal()])
                .owner((ManagerId) values[TrackedField.OWNER.ordinal()])
                .closeInfo(closeThen);
        if (!currencyThen.equals(currency)) {
            b.productLines(List.of());
        }
        return Optional.of(b.build());
    }

    /**
     * Starts a change of tracked fields at an instant: each field set to a different value is
     * recorded as a {@link FieldChange} by {@link OpportunityEdit#apply()}. Stage changes go
     * through the {@link SalesProcessEngine}, which records them as transitions.
     *
     * @param at when the change happens: not before the last change
     * @param by who makes it
     * @return the edit
     */
    public OpportunityEdit edit(Instant at, ManagerId by) {
        return new OpportunityEdit(this, at, by);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Opportunity other && version == other.version && sameContentAs(other);
    }

    /**
     * This opportunity as the next state of a stored copy of it, for a write from a source that
     * keeps no field history (a sync from another system, {@link
     * org.crmkit.core.spi.OpportunityRepository#upsertAll}): the stored copy's {@link #changes()}
     * go on, followed by one change of each tracked field whose value differs between the two,
     * made by this opportunity's owner at {@code at} (or at the last stored change or this
     * creation, if either is later). So a sync neither drops the history recorded here nor
     * hides what it changed. An opportunity that carries a history of its own is the source's
     * whole word and is returned as it is.
     *
     * <p>When the stored history cannot go on because this copy was created later than it
     * begins (a stored change, or a close date in one, before this creation), it is replaced by
     * a {@link TrackedField#HISTORY_START} at the write: the deal's values before are then
     * reported unknown rather than wrong.
     *
     * @param stored the copy it replaces
     * @param at when the write happens
     * @return the opportunity with the continued history (this one when nothing is to be added)
     */
    public Opportunity continuingHistoryOf(Opportunity stored, Instant at) {
        Objects.requireNonNull(stored, "stored");
        Map<TrackedField, Object> values = new java.util.EnumMap<>(TrackedField.class);
        for (TrackedField f : TrackedField.values()) {
            if (f != TrackedField.STAGE && f != TrackedField.HISTORY_START) {
                values.put(f, f.valueOn(stored));
            }
        }
        return continuingHistory(stored.changes, values, at);
    }

    /**
     * {@link #continuingHistoryOf(Opportunity, Instant)} for a store that has the stored copy's
     * history and tracked values but not the whole copy.
     *
     * @param storedChanges the stored copy's changes
     * @param storedValues the stored copy's value of each tracked field other than the stage
     *     (a missing key or a null value: not set)
     * @param at when the write happens
     * @return the opportunity with the continued history (this one when nothing is to be added)
     */
    public Opportunity continuingHistory(List<FieldChange> storedChanges, Map<TrackedField, Object> storedValues,
            Instant at) {
        Objects.requireNonNull(storedChanges, "storedChanges");
        Objects.requireNonNull(storedValues, "storedValues");
        Objects.requireNonNull(at, "at");
        if (!changes.isEmpty()) {
            return this;
        }
        Instant when = at;
        if (!storedChanges.isEmpty() && storedChanges.get(storedChanges.size() - 1).at().isAfter(when)) {
            when = storedChanges.get(storedChanges.size() - 1).at();
        }
        if (createdAt.isAfter(when)) {
            when = createdAt;
        }
        List<FieldChange> next = new ArrayList<>(storedChanges);
        for (TrackedField f : TrackedField.values()) {
            if (f == TrackedField.STAGE || f == TrackedField.HISTORY_START) {
                continue;
            }
            Object before = storedValues.get(f);
            Object after = f.valueOn(this);
            if (!FieldChange.same(before, after)) {
                next.add(FieldChange.of(f, before, after, when, owner));
            }
        }
        if (next.isEmpty()) {
            return this;
        }
        try {
            return toBuilder().changes(next).build();
        } catch (ValidationException e) {
            // the source moved the deal's creation past the stored history (a change, or a close
            // date in one, before the new creation): what it was before is unknown from now on,
            // which a HISTORY_START says, rather than a history that is no longer true
            return toBuilder().changes(List.of(FieldChange.historyStart(when, owner))).build();
        }
    }

    /**
     * Whether another opportunity holds the same content as this one: equal in everything but
     * the version. What {@link org.crmkit.core.spi.OpportunityRepository#upsertAll} calls
     * unchanged (when the given opportunity carries no field history, its history is not
     * compared: {@link #sameContentApartFromHistoryAs}).
     *
     * @param other the other opportunity
     * @return true when only the versions may differ
     */
    public boolean sameContentAs(Opportunity other) {
        return sameContentApartFromHistoryAs(other) && changes.equals(other.changes);
    }

    /**
     * Whether another opportunity holds the same content as this one apart from the version
     * and the {@link #changes()}: what a source that keeps no history can tell apart.
     *
     * @param other the other opportunity
     * @return true when only the versions and the field histories may differ
     */
    public boolean sameContentApartFromHistoryAs(Opportunity other) {
        Objects.requireNonNull(other, "other");
        return probability == other.probability && id.equals(other.id)
                && title.equals(other.title) && Objects.equals(client, other.client) && owner.equals(other.owner)
                && processId.equals(other.processId) && stage.equals(other.stage)
                && currency.equals(other.currency) && Objects.equals(budget, other.budget)
                && Objects.equals(amount, other.amount) && createdAt.equals(other.createdAt)
                && expectedCloseDate.equals(other.expectedCloseDate) && tactic.equals(other.tactic)
                && competitors.equals(other.competitors) && participants.equals(other.participants)
                && leads.equals(other.leads) && productLines.equals(other.productLines)
                && history.equals(other.history) && transitions.equals(other.transitions)
                && completedSteps.equals(other.completedSteps) && Objects.equals(closeInfo, other.closeInfo)
                && forecastCategory == other.forecastCategory;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, title, owner, stage, probability, amount, createdAt, expectedCloseDate, version);
    }

    @Override
    public String toString() {
        return "Opportunity[" + id + " '" + title + "' " + (client == null ? "no client" : client.name()) + ", owner " + owner + ", " + stage + " ("
                + status() + ", " + probability + "%), amount " + (amount == null ? "?" : amount) + ", close "
                + expectedCloseDate + ", v" + version + "]";
    }

    /**
     * Builds an {@link Opportunity}; {@link #build()} validates everything at once. When no
     * transition is given, the entry into {@code stage} at {@code createdAt} by the owner is
     * recorded.
     */
    public static final class Builder {
        private OpportunityId id;
        private String title;
        private ClientRef client;
        private ManagerId owner;
        private ProcessId processId;
        private SalesProcess process;
        private String stage;
        private Integer probability;
        private CurrencyUnit currency;
        private MonetaryAmount budget;
        private MonetaryAmount amount;
        private Instant createdAt;
        private LocalDate expectedCloseDate;
        private String tactic;
        private final List<Competitor> competitors = new ArrayList<>();
        private final List<Participant> participants = new ArrayList<>();
        private final List<Lead> leads = new ArrayList<>();
        private final List<ProductLine> productLines = new ArrayList<>();
        private final List<HistoryEntry> history = new ArrayList<>();
        private final List<StageTransition> transitions = new ArrayList<>();
        private final List<FieldChange> changes = new ArrayList<>();
        /** The tracked fields a builder may clear (the others are required). */
        private static final Set<TrackedField> UNSETTABLE = java.util.EnumSet.of(TrackedField.AMOUNT,
                TrackedField.BUDGET, TrackedField.FORECAST_CATEGORY);
        /** The opportunity {@link Opportunity#toBuilder()} started from, while its changes are kept. */
        private Opportunity origin;
        private final Set<String> completedSteps = new LinkedHashSet<>();
        private CloseInfo closeInfo;
        private ForecastCategory forecastCategory;
        private long version;

        private Builder() {
        }

        /**
         * Sets the id.
         *
         * @param value the id
         * @return this builder
         */
        public Builder id(OpportunityId value) {
            this.id = value;
            return this;
        }

        /**
         * Sets the id.
         *
         * @param value the id text
         * @return this builder
         */
        public Builder id(String value) {
            return id(OpportunityId.of(value));
        }

        /**
         * Sets the title.
         *
         * @param value the title
         * @return this builder
         */
        public Builder title(String value) {
            this.title = value;
            return this;
        }

        /**
         * Sets the client.
         *
         * @param value the client, or null when the deal has none (yet)
         * @return this builder
         */
        public Builder client(ClientRef value) {
            this.client = value;
            return this;
        }

        /**
         * Sets the owner.
         *
         * @param value the owner
         * @return this builder
         */
        public Builder owner(ManagerId value) {
            this.owner = value;
            return this;
        }

        /**
         * Sets the process.
         *
         * @param value the process id
         * @return this builder
         */
        public Builder processId(ProcessId value) {
            this.processId = value;
            if (process != null && !process.id().equals(value)) {
                process = null;
            }
            return this;
        }

        /**
         * Sets the process and checks against it when built: the process id, every stage code
         * (current and in the history) and every step must be the process's, and a probability
         * not set takes the current stage's default.
         *
         * @param value the sales process
         * @return this builder
         */
        public Builder process(SalesProcess value) {
            this.process = Objects.requireNonNull(value, "process");
            this.processId = value.id();
            return this;
        }

        /**
         * Sets the current stage.
         *
         * @param value the stage code
         * @return this builder
         */
        public Builder stage(String value) {
            this.stage = value;
            return this;
        }

        /**
         * Sets the win probability; when it is not set, {@link #build()} takes the current
         * stage's default from the {@link #process(SalesProcess) process}.
         *
         * @param value percent, 0–100
         * @return this builder
         */
        public Builder probability(int value) {
            this.probability = value;
            return this;
        }

        /**
         * Whether a probability has been set.
         *
         * @return true once {@link #probability(int)} was called
         */
        public boolean hasProbability() {
            return probability != null;
        }

        /**
         * Sets the currency.
         *
         * @param value the currency
         * @return this builder
         */
        public Builder currency(CurrencyUnit value) {
            this.currency = value;
            return this;
        }

        /**
         * Sets the currency by ISO code.
         *
         * @param code the currency code
         * @return this builder
         */
        public Builder currency(String code) {
            return currency(Amounts.currency(code));
        }

        /**
         * Sets the client's budget; sets the currency too when none is set yet.
         *
         * @param value the budget, or null when unknown
         * @return this builder
         */
        public Builder budget(MonetaryAmount value) {
            this.budget = value;
            if (value != null && currency == null) {
                currency = value.getCurrency();
            }
            return this;
        }

        /**
         * Sets the expected deal value; sets the currency too when none is set yet.
         *
         * @param value the amount, or null when unknown
         * @return this builder
         */
        public Builder amount(MonetaryAmount value) {
            this.amount = value;
            if (value != null && currency == null) {
                currency = value.getCurrency();
            }
            return this;
        }

        /**
         * Sets the creation instant.
         *
         * @param value when it was created
         * @return this builder
         */
        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        /**
         * Whether a creation instant has been set.
         *
         * @return true once {@link #createdAt(Instant)} was called with a value
         */
        public boolean hasCreatedAt() {
            return createdAt != null;
        }

        /**
         * Sets the expected close date (required while open; a closed opportunity without one
         * takes its close date).
         *
         * @param value the date
         * @return this builder
         */
        public Builder expectedCloseDate(LocalDate value) {
            this.expectedCloseDate = value;
            return this;
        }

        /**
         * Sets the tactic.
         *
         * @param value free text
         * @return this builder
         */
        public Builder tactic(String value) {
            this.tactic = value;
            return this;
        }

        /**
         * Replaces the competitors.
         *
         * @param values the competitors
         * @return this builder
         */
        public Builder competitors(Collection<Competitor> values) {
            competitors.clear();
            competitors.addAll(values);
            return this;
        }

        /**
         * Adds a competitor.
         *
         * @param value the competitor
         * @return this builder
         */
        public Builder addCompetitor(Competitor value) {
            competitors.add(Objects.requireNonNull(value, "competitor"));
            return this;
        }

        /**
         * Replaces the participants.
         *
         * @param values the participants
         * @return this builder
         */
        public Builder participants(Collection<Participant> values) {
            participants.clear();
            participants.addAll(values);
            return this;
        }

        /**
         * Adds a participant.
         *
         * @param value the participant
         * @return this builder
         */
        public Builder addParticipant(Participant value) {
            participants.add(Objects.requireNonNull(value, "participant"));
            return this;
        }

        /**
         * Replaces the leads.
         *
         * @param values the leads
         * @return this builder
         */
        public Builder leads(Collection<Lead> values) {
            leads.clear();
            leads.addAll(values);
            return this;
        }

        /**
         * Adds a lead.
         *
         * @param value the lead
         * @return this builder
         */
        public Builder addLead(Lead value) {
            leads.add(Objects.requireNonNull(value, "lead"));
            return this;
        }

        /**
         * Replaces the product lines.
         *
         * @param values the lines
         * @return this builder
         */
        public Builder productLines(Collection<ProductLine> values) {
            productLines.clear();
            productLines.addAll(values);
            return this;
        }

        /**
         * Adds a product line.
         *
         * @param value the line
         * @return this builder
         */
        public Builder addProductLine(ProductLine value) {
            productLines.add(Objects.requireNonNull(value, "productLine"));
            return this;
        }

        /**
         * Replaces the history.
         *
         * @param values the entries
         * @return this builder
         */
        public Builder history(Collection<HistoryEntry> values) {
            history.clear();
            history.addAll(values);
            return this;
        }

        /**
         * Adds a history entry.
         *
         * @param value the entry
         * @return this builder
         */
        public Builder addHistory(HistoryEntry value) {
            history.add(Objects.requireNonNull(value, "history"));
            return this;
        }

        /**
         * Replaces the stage transitions.
         *
         * @param values the transitions, in time order
         * @return this builder
         */
        public Builder transitions(Collection<StageTransition> values) {
            transitions.clear();
            transitions.addAll(values);
            return this;
        }

        /**
         * Appends a stage transition.
         *
         * @param value the transition
         * @return this builder
         */
        public Builder addTransition(StageTransition value) {
            transitions.add(Objects.requireNonNull(value, "transition"));
            return this;
        }

        /**
         * Replaces the field history (see {@link Opportunity#changes()}); stores and formats set
         * it when they read an opportunity. To change a tracked field, use
         * {@link Opportunity#edit}, which records the change.
         *
         * @param values the changes, in time order
         * @return this builder
         */
        public Builder changes(Collection<FieldChange> values) {
            origin = null;
            changes.clear();
            changes.addAll(values);
            return this;
        }

        /**
         * Appends a field change.
         *
         * @param value the change
         * @return this builder
         */
        public Builder addChange(FieldChange value) {
            changes.add(Objects.requireNonNull(value, "change"));
            return this;
        }

        /**
         * Replaces the completed steps.
         *
         * @param values step codes
         * @return this builder
         */
        public Builder completedSteps(Collection<String> values) {
            completedSteps.clear();
            completedSteps.addAll(values);
            return this;
        }

        /**
         * Marks a step as done.
         *
         * @param stepCode the step code
         * @return this builder
         */
        public Builder completeStep(String stepCode) {
            completedSteps.add(ValidationException.requireText(stepCode, "step"));
            return this;
        }

        /**
         * Sets the close data.
         *
         * @param value close data, or null while open
         * @return this builder
         */
        public Builder closeInfo(CloseInfo value) {
            this.closeInfo = value;
            return this;
        }

        /**
         * Sets the forecast category by hand.
         *
         * @param value the category, or null to derive it from thresholds
         * @return this builder
         */
        public Builder forecastCategory(ForecastCategory value) {
            this.forecastCategory = value;
            return this;
        }

        /**
         * Sets the optimistic-locking version (stores do this; callers keep the one read).
         *
         * @param value the version, at least 0
         * @return this builder
         */
        public Builder version(long value) {
            this.version = value;
            return this;
        }

        /**
         * Validates and builds the opportunity.
         *
         * @return the opportunity
         * @throws ValidationException naming the first field that breaks a rule, its value and
         *     the opportunity's id
         */
        public Opportunity build() {
            recordUntrackedChanges();
            return new Opportunity(this);
        }

        /**
         * Started from an opportunity with a field history, a tracked field set to a new value
         * without its change is recorded now, by the owner: the history of a deal that has one
         * stays complete whichever way it is changed. A deal without a history (built from
         * scratch, or never edited since history existed) gets none this way: its first
         * {@link Opportunity#edit} or sync starts it.
         */
        private void recordUntrackedChanges() {
            if (origin == null || origin.changes.isEmpty()) {
                return;
            }
            Instant when = Instant.now();
            if (!changes.isEmpty() && changes.get(changes.size() - 1).at().isAfter(when)) {
                when = changes.get(changes.size() - 1).at();
            }
            if (createdAt != null && createdAt.isAfter(when)) {
                when = createdAt;
            }
            List<FieldChange> added = new ArrayList<>();
            for (TrackedField f : TrackedField.values()) {
                if (f == TrackedField.STAGE || f == TrackedField.HISTORY_START) {
                    continue;
                }
                Object now = switch (f) {
                    case AMOUNT -> amount;
                    case BUDGET -> budget;
                    case CURRENCY -> currency;
                    case EXPECTED_CLOSE_DATE -> expectedCloseDate;
                    case PROBABILITY -> probability;
                    case FORECAST_CATEGORY -> forecastCategory;
                    case OWNER -> owner;
                    case STAGE, HISTORY_START -> throw new IllegalStateException(f.name());
                };
                if (now == null && !UNSETTABLE.contains(f)) {
                    continue; // a required value missing: the constructor refuses the builder
                }
                Object before = f.valueOn(origin);
                for (FieldChange c : changes) {
                    if (c.field() == f) {
                        before = c.toValue().orElse(null);
                    }
                }
                if (!FieldChange.same(before, now)) {
                    added.add(FieldChange.of(f, before, now, when, owner == null ? origin.owner : owner));
                }
            }
            changes.addAll(added);
            origin = null;
        }
    }
}
