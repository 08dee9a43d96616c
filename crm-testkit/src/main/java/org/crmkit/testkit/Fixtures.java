package org.crmkit.testkit;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.crmkit.core.Attitude;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ContactId;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.Lead;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Participant;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.money.Amounts;

/**
 * Ready-made, valid opportunities for tests: a minimal one (no optional value set) and fully
 * populated ones (every child collection filled, every optional value set), open, won and
 * lost. All belong to the reference corporate-sales process
 * ({@link SalesProcesses#corporateSales()}), which a store must hold before they are written.
 *
 * <p>Instants are whole milliseconds and every decimal is exact at its currency, so a store
 * with millisecond (or finer) timestamps and exact decimals returns equal values.
 */
public final class Fixtures {
    /** The creation instant of the fixtures: 2026-01-05T09:15:30.123Z. */
    public static final Instant CREATED_AT = Instant.parse("2026-01-05T09:15:30.123Z");
    /** The owner of the fixtures unless another is given. */
    public static final ManagerId OWNER = ManagerId.of("m-anna");
    /** A second manager who makes some of the stage changes. */
    public static final ManagerId COLLEAGUE = ManagerId.of("m-boris");

    private Fixtures() {
    }

    /**
     * The process every fixture belongs to.
     *
     * @return the reference corporate-sales process, guided mode
     */
    public static SalesProcess process() {
        return SalesProcesses.corporateSales();
    }

    /**
     * A builder for a minimal open opportunity at the first stage: no budget, no amount, no
     * tactic, no children, no forecast category; only the entry transition.
     *
     * @param id the opportunity id
     * @param owner the owner
     * @return a builder that builds a valid opportunity; change it before building
     */
    public static Opportunity.Builder minimal(String id, ManagerId owner) {
        Objects.requireNonNull(owner, "owner");
        return Opportunity.builder()
                .id(id)
                .title("Opportunity " + id)
                .client(ClientRef.account("acc-" + id, "Client of " + id))
                .owner(owner)
                .processId(SalesProcesses.CORPORATE_SALES)
                .stage(SalesProcesses.QUALIFICATION)
                .probability(10)
                .currency("EUR")
                .createdAt(CREATED_AT)
                .expectedCloseDate(LocalDate.of(2026, 3, 31));
    }

    /**
     * A minimal open opportunity owned by {@link #OWNER}.
     *
     * @param id the opportunity id
     * @return the opportunity, version 0
     */
    public static Opportunity minimal(String id) {
        return minimal(id, OWNER).build();
    }

    /**
     * A builder for a fully populated opportunity, still open at Proposal presentation: budget
     * and amount with cents, a tactic, two competitors, three participants, two leads, two
     * product lines, a history entry of every kind, a stage history that skips Key contacts
     * and later moves back to it, completed steps, and a forecast category set by hand.
     *
     * @param id the opportunity id
     * @return a builder that builds a valid opportunity
     */
    public static Opportunity.Builder fullyPopulated(String id) {
        Instant t0 = CREATED_AT;
        return Opportunity.builder()
                .id(id)
                .title("Leadership training for 40 team leads")
                .client(ClientRef.account("acc-" + id, "Nordwind Logistik GmbH"))
                .owner(OWNER)
                .processId(SalesProcesses.CORPORATE_SALES)
                .stage(SalesProcesses.PROPOSAL_PRESENTATION)
                .probability(65)
                .currency("EUR")
                .budget(Amounts.of("150000.00", "EUR"))
                .amount(Amounts.of("120000.50", "EUR"))
                .createdAt(t0)
                .expectedCloseDate(LocalDate.of(2026, 3, 31))
                .tactic("Win on references; bring the CFO in early")
                .competitors(List.of(
                        new Competitor("Acme Consulting", "Low price", "Thin bench"),
                        new Competitor("Globex Learning", "Brand", "")))
                .participants(List.of(
                        new Participant(ContactId.of("c-1"), "Clara Hoffmann", DecisionRole.DECISION_MAKER,
                                Attitude.SUPPORTER),
                        new Participant(ContactId.of("c-2"), "Dmitri Volkov", DecisionRole.ECONOMIC_BUYER,
                                Attitude.NEUTRAL),
                        new Participant(ContactId.of("c-3"), "Eva Lind", DecisionRole.BLOCKER, Attitude.OPPONENT)))
                .leads(List.of(
                        new Lead("lead-1", "Leadership training for 40 team leads"),
                        new Lead("lead-2", "Coaching for the board")))
                .productLines(List.of(
                        new ProductLine("TRAINING-DAY", new BigDecimal("12"), Amounts.of("8500.00", "EUR"),
                                new BigDecimal("10")),
                        new ProductLine("COACHING-HOUR", new BigDecimal("40.5"), Amounts.of("250.00", "EUR"),
                                BigDecimal.ZERO)))
                .history(List.of(
                        history("h-1", HistoryKind.ACTIVITY, t0.plus(Duration.ofHours(2)), "Discovery call"),
                        history("h-2", HistoryKind.EMAIL, t0.plus(Duration.ofDays(1)), "Follow-up"),
                        history("h-3", HistoryKind.FILE, t0.plus(Duration.ofDays(2)), "Needs analysis.pdf"),
                        history("h-4", HistoryKind.PROPOSAL, t0.plus(Duration.ofDays(12)), "Proposal v1"),
                        history("h-5", HistoryKind.FEED_POST, t0.plus(Duration.ofDays(13)), "Proposal sent"),
                        history("h-6", HistoryKind.COMMENT, t0.plus(Duration.ofDays(14)), "CFO wants a discount")))
                .transitions(List.of(
                        new StageTransition(null, SalesProcesses.QUALIFICATION, t0, OWNER),
                        new StageTransition(SalesProcesses.QUALIFICATION, SalesProcesses.PROPOSAL_PREPARATION,
                                t0.plus(Duration.ofDays(3)), OWNER),
                        new StageTransition(SalesProcesses.PROPOSAL_PREPARATION, SalesProcesses.KEY_CONTACTS,
                                t0.plus(Duration.ofDays(7)), COLLEAGUE),
                        new StageTransition(SalesProcesses.KEY_CONTACTS, SalesProcesses.PROPOSAL_PRESENTATION,
                                t0.plus(Duration.ofDays(12)), OWNER)))
                .completedSteps(List.of("qualify-need", "qualify-budget", "contacts-decision-maker",
                        "contacts-champion", "proposal-draft"))
                .forecastCategory(ForecastCategory.COMMIT);
    }

    /**
     * A fully populated opportunity, open (see {@link #fullyPopulated(String)}).
     *
     * @param id the opportunity id
     * @return the opportunity, version 0
     */
    public static Opportunity fullyPopulatedOpen(String id) {
        return fullyPopulated(id).build();
    }

    /**
     * A fully populated opportunity won after Closing, with actual revenue, hours spent and a
     * win reason, forecast category {@link ForecastCategory#CLOSED}.
     *
     * @param id the opportunity id
     * @return the opportunity, version 0
     */
    public static Opportunity fullyPopulatedWon(String id) {
        Opportunity open = fullyPopulatedOpen(id);
        Instant closing = CREATED_AT.plus(Duration.ofDays(20));
        Instant won = CREATED_AT.plus(Duration.ofDays(40));
        return open.toBuilder()
                .addTransition(new StageTransition(SalesProcesses.PROPOSAL_PRESENTATION, SalesProcesses.CLOSING,
                        closing, OWNER))
                .addTransition(new StageTransition(SalesProcesses.CLOSING, SalesProcess.WON, won, OWNER))
                .stage(SalesProcess.WON)
                .probability(100)
                .completeStep("presentation-held")
                .completeStep("closing-terms")
                .closeInfo(new CloseInfo(LocalDate.of(2026, 2, 14), Amounts.of("118500.75", "EUR"),
                        new BigDecimal("42.5"), "Best references", null))
                .forecastCategory(ForecastCategory.CLOSED)
                .build();
    }

    /**
     * A fully populated opportunity lost at Proposal presentation to a competitor, without
     * actual revenue or hours (the nullable close values left empty), forecast category
     * {@link ForecastCategory#OMITTED}.
     *
     * @param id the opportunity id
     * @return the opportunity, version 0
     */
    public static Opportunity fullyPopulatedLost(String id) {
        Opportunity open = fullyPopulatedOpen(id);
        return open.toBuilder()
                .addTransition(new StageTransition(SalesProcesses.PROPOSAL_PRESENTATION, SalesProcess.LOST,
                        CREATED_AT.plus(Duration.ofDays(25)), COLLEAGUE))
                .stage(SalesProcess.LOST)
                .probability(0)
                .closeInfo(CloseInfo.lost(LocalDate.of(2026, 1, 30), "Price", "Acme Consulting"))
                .forecastCategory(ForecastCategory.OMITTED)
                .build();
    }

    private static HistoryEntry history(String id, HistoryKind kind, Instant at, String subject) {
        return new HistoryEntry(id, kind, at, OWNER, subject, "Notes on " + subject.toLowerCase(Locale.ROOT));
    }
}
