package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.CORP_FREE;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;
import static org.crmkit.core.SalesProcesses.CLOSING;
import static org.crmkit.core.SalesProcesses.KEY_CONTACTS;
import static org.crmkit.core.SalesProcesses.PROPOSAL_PREPARATION;
import static org.crmkit.core.SalesProcesses.PROPOSAL_PRESENTATION;
import static org.crmkit.core.SalesProcesses.QUALIFICATION;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SalesProcessEngineTest {
    private static final Instant NOW = Instant.parse("2026-04-01T08:00:00Z");
    private static final ManagerId BOB = ManagerId.of("bob");
    /** No close date: the engine takes the day of the closing transition. */
    private static final LocalDate CLOSE_DAY = null;

    private MutableClock clock;
    private SalesProcessEngine engine;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        engine = new SalesProcessEngine(clock);
    }

    private Opportunity.Builder blank() {
        return Opportunity.builder().id("o1").title("Deal").client(ClientRef.account("acme", "ACME")).owner(ALICE)
                .currency("EUR").amount(eur("5000.00")).expectedCloseDate(LocalDate.of(2026, 6, 30));
    }

    private Opportunity openGuided() {
        return engine.open(CORP, blank());
    }

    private Opportunity withSteps(Opportunity opp, SalesProcess process, String... steps) {
        for (String s : steps) {
            opp = engine.completeStep(opp, process, s);
        }
        return opp;
    }

    @Test
    void openSetsTheFirstStageItsProbabilityAndTheEntryAtTheClocksInstant() {
        Opportunity opp = openGuided();
        assertThat(opp.stage()).isEqualTo(QUALIFICATION);
        assertThat(opp.processId()).isEqualTo(CORP.id());
        assertThat(opp.probability()).isEqualTo(10);
        assertThat(opp.createdAt()).isEqualTo(NOW);
        assertThat(opp.transitions()).containsExactly(new StageTransition(null, QUALIFICATION, NOW, ALICE));
        assertThat(opp.status()).isEqualTo(OpportunityStatus.OPEN);
    }

    @Test
    void openKeepsAGivenCreationInstantAndProbability() {
        Instant created = NOW.minus(Duration.ofDays(3));
        Opportunity opp = engine.open(CORP, blank().createdAt(created).probability(35));
        assertThat(opp.createdAt()).isEqualTo(created);
        assertThat(opp.probability()).isEqualTo(35);
        assertThat(opp.transitions().get(0).at()).isEqualTo(created);
    }

    @Test
    void guidedForwardMoveWithoutRequiredStepsIsRefusedAndNamesTheStep() {
        Opportunity opp = openGuided();
        assertThatThrownBy(() -> engine.move(opp, CORP, KEY_CONTACTS, ALICE))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("completedSteps");
                    assertThat(e.getMessage()).contains("qualify-need").contains("Confirm the client's need")
                            .contains(QUALIFICATION);
                });
        Opportunity halfDone = withSteps(opp, CORP, "qualify-need");
        assertThatThrownBy(() -> engine.move(halfDone, CORP, KEY_CONTACTS, ALICE))
                .hasMessageContaining("qualify-budget");
    }

    @Test
    void guidedForwardMoveWithRequiredStepsDoneSucceedsWithoutOptionalOnes() {
        Opportunity opp = withSteps(openGuided(), CORP, "qualify-need", "qualify-budget");
        clock.advance(Duration.ofHours(5));
        Opportunity moved = engine.move(opp, CORP, KEY_CONTACTS, BOB);
        assertThat(moved.stage()).isEqualTo(KEY_CONTACTS);
        assertThat(moved.probability()).isEqualTo(25);
        assertThat(moved.transitions()).last()
                .isEqualTo(new StageTransition(QUALIFICATION, KEY_CONTACTS, NOW.plus(Duration.ofHours(5)), BOB));
        assertThat(moved.completedSteps()).containsExactlyInAnyOrder("qualify-need", "qualify-budget");
    }

    @Test
    void skippingStagesRequiresTheStepsOfTheSkippedStages() {
        Opportunity opp = withSteps(openGuided(), CORP, "qualify-need", "qualify-budget");
        assertThatThrownBy(() -> engine.move(opp, CORP, PROPOSAL_PREPARATION, ALICE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("contacts-decision-maker")
                .hasMessageContaining(KEY_CONTACTS);
        Opportunity ready = withSteps(opp, CORP, "contacts-decision-maker");
        assertThat(engine.move(ready, CORP, PROPOSAL_PREPARATION, ALICE).stage()).isEqualTo(PROPOSAL_PREPARATION);
    }

    @Test
    void movingBackwardAndLosingAreAlwaysAllowed() {
        Opportunity atContacts = engine.move(withSteps(openGuided(), CORP, "qualify-need", "qualify-budget"), CORP,
                KEY_CONTACTS, ALICE);
        Opportunity back = engine.move(atContacts, CORP, QUALIFICATION, ALICE);
        assertThat(back.stage()).isEqualTo(QUALIFICATION);
        assertThat(back.probability()).isEqualTo(10);
        Opportunity lost = engine.lose(openGuided(), CORP, CloseInfo.lost(CLOSE_DAY, "no budget", null), ALICE);
        assertThat(lost.status()).isEqualTo(OpportunityStatus.LOST);
        assertThat(lost.probability()).isZero();
        assertThat(lost.closeInfo().flatMap(CloseInfo::reasonIfAny)).contains("no budget");
    }

    @Test
    void freeModeAllowsAnyMove() {
        Opportunity opp = engine.open(CORP_FREE, blank());
        Opportunity closing = engine.move(opp, CORP_FREE, CLOSING, ALICE);
        assertThat(closing.stage()).isEqualTo(CLOSING);
        assertThat(engine.move(closing, CORP_FREE, KEY_CONTACTS, ALICE).stage()).isEqualTo(KEY_CONTACTS);
        Opportunity won = engine.win(opp, CORP_FREE, CloseInfo.won(CLOSE_DAY, eur("4800.00"), null), ALICE);
        assertThat(won.status()).isEqualTo(OpportunityStatus.WON);
        assertThat(won.probability()).isEqualTo(100);
    }

    @Test
    void guidedWinNeedsTheStepsOfEveryRemainingStage() {
        Opportunity opp = withSteps(engine.open(CORP, blank()), CORP, "qualify-need", "qualify-budget",
                "contacts-decision-maker", "proposal-draft", "presentation-held");
        assertThatThrownBy(() -> engine.win(opp, CORP, CloseInfo.won(CLOSE_DAY, eur("1.00"), null), ALICE))
                .hasMessageContaining("closing-terms");
        Opportunity done = withSteps(opp, CORP, "closing-terms");
        assertThat(engine.win(done, CORP, CloseInfo.won(CLOSE_DAY, eur("1.00"), null), ALICE).status())
                .isEqualTo(OpportunityStatus.WON);
    }

    @Test
    void winningNeedsTheRevenue() {
        Opportunity opp = engine.open(CORP_FREE, blank());
        rejected(() -> engine.win(opp, CORP_FREE, CloseInfo.lost(CLOSE_DAY, null, null), ALICE), "close.actualRevenue",
                "null");
        rejected(() -> engine.win(opp, CORP_FREE, null, ALICE), "closeInfo", "null");
    }

    @Test
    void aClosedOpportunityCannotMove() {
        Opportunity won = engine.win(engine.open(CORP_FREE, blank()), CORP_FREE,
                CloseInfo.won(CLOSE_DAY, eur("1.00"), null), ALICE);
        rejected(() -> engine.move(won, CORP_FREE, KEY_CONTACTS, ALICE), "status", "WON");
        rejected(() -> engine.lose(won, CORP_FREE, CloseInfo.lost(CLOSE_DAY, null, null), ALICE), "status", "WON");
        rejected(() -> engine.win(won, CORP_FREE, CloseInfo.won(CLOSE_DAY, eur("1.00"), null), ALICE), "status", "WON");
    }

    @Test
    void reopenReturnsToAnOpenStageDropsCloseDataAndKeepsHistory() {
        Opportunity opp = engine.open(CORP_FREE, blank().addHistory(new HistoryEntry("h1", HistoryKind.EMAIL, NOW,
                ALICE, "Offer sent", "")));
        clock.advance(Duration.ofDays(1));
        Opportunity lost = engine.lose(opp, CORP_FREE, CloseInfo.lost(CLOSE_DAY, "price", "Rival"), ALICE);
        clock.advance(Duration.ofDays(1));
        Opportunity reopened = engine.reopen(lost, CORP_FREE, PROPOSAL_PRESENTATION, BOB);
        assertThat(reopened.status()).isEqualTo(OpportunityStatus.OPEN);
        assertThat(reopened.closeInfo()).isEmpty();
        assertThat(reopened.probability()).isEqualTo(60);
        assertThat(reopened.history()).isEqualTo(opp.history());
        assertThat(reopened.transitions()).hasSize(3).startsWith(lost.transitions().toArray(new StageTransition[0]));
        assertThat(reopened.transitions().get(2))
                .isEqualTo(new StageTransition(SalesProcess.LOST, PROPOSAL_PRESENTATION, NOW.plus(Duration.ofDays(2)), BOB));
        rejected(() -> engine.reopen(reopened, CORP_FREE, QUALIFICATION, BOB), "status", "OPEN");
        rejected(() -> engine.reopen(lost, CORP_FREE, SalesProcess.WON, BOB), "targetStage", "WON");
    }

    @Test
    void probabilityFollowsTheStageDefaultAndCanBeOverriddenAfterwards() {
        Opportunity opp = engine.open(CORP_FREE, blank().probability(55));
        Opportunity moved = engine.move(opp, CORP_FREE, PROPOSAL_PREPARATION, ALICE);
        assertThat(moved.probability()).isEqualTo(40);
        assertThat(moved.changes()).containsExactly(
                FieldChange.of(TrackedField.PROBABILITY, 55, 40, NOW, ALICE));
        Opportunity overridden = engine.edit(moved, ALICE).probability(45).apply();
        assertThat(overridden.probability()).isEqualTo(45);
        assertThat(overridden.changes()).hasSize(2).last()
                .isEqualTo(FieldChange.of(TrackedField.PROBABILITY, 40, 45, NOW, ALICE));
        // a copy changed without its change records it at the build, by the owner
        assertThat(moved.toBuilder().probability(45).build().changes()).hasSize(2).last()
                .satisfies(c -> assertThat(c.toValue()).contains(45));
        // a history replaced whole must chain: the history would be wrong otherwise
        rejected(() -> moved.toBuilder().changes(moved.changes()).probability(45).build(), "probability", "45");
    }

    @Test
    void aClockBehindTheLastTransitionStampsAtTheLastInstant() {
        Opportunity opp = engine.open(CORP_FREE, blank());
        clock.advance(Duration.ofMinutes(-10));
        Opportunity moved = engine.move(opp, CORP_FREE, KEY_CONTACTS, ALICE);
        assertThat(moved.stageEnteredAt()).isEqualTo(NOW);
    }

    @Test
    void invalidMovesAreNamed() {
        Opportunity opp = engine.open(CORP_FREE, blank());
        rejected(() -> engine.move(opp, CORP_FREE, "NEGOTIATION", ALICE), "stage", "NEGOTIATION");
        rejected(() -> engine.move(opp, CORP_FREE, SalesProcess.WON, ALICE), "targetStage", "WON");
        rejected(() -> engine.move(opp, CORP_FREE, QUALIFICATION, ALICE), "targetStage", QUALIFICATION);
        rejected(() -> engine.completeStep(opp, CORP_FREE, "nope"), "step", "nope");
        SalesProcess other = SalesProcess.of(ProcessId.of("other"), "Other", ProcessMode.FREE,
                java.util.List.of(Stage.open("A", "A", 10)));
        rejected(() -> engine.move(opp, other, "A", ALICE), "processId", CORP.id().value());
    }

    @Test
    void nextActionsListsTheStepsStillToDoAndTheNextStage() {
        Opportunity opp = openGuided();
        Guidance g = engine.nextActions(opp, CORP);
        assertThat(g.opportunity()).isEqualTo(opp.id());
        assertThat(g.currentStage().code()).isEqualTo(QUALIFICATION);
        assertThat(g.requiredToDo()).extracting(Step::code).containsExactly("qualify-need", "qualify-budget");
        assertThat(g.optionalToDo()).extracting(Step::code).containsExactly("qualify-timeline");
        assertThat(g.nextStage()).map(Stage::code).contains(KEY_CONTACTS);
        assertThat(g.readyToAdvance()).isFalse();
        assertThat(g.describe()).isEqualTo("Qualification (determine potential): do 'Confirm the client's need', "
                + "'Establish the budget', then move to Key contacts");

        Guidance ready = engine.nextActions(withSteps(opp, CORP, "qualify-budget", "qualify-need"), CORP);
        assertThat(ready.readyToAdvance()).isTrue();
        assertThat(ready.describe()).isEqualTo("Qualification (determine potential): ready to move to Key contacts");
    }

    @Test
    void nextActionsAfterTheLastOpenStageIsWinningAndNothingWhenClosed() {
        Opportunity atClosing = engine.move(engine.open(CORP_FREE, blank()), CORP_FREE, CLOSING, ALICE);
        assertThat(engine.nextActions(atClosing, CORP_FREE).nextStage()).map(Stage::code).contains(SalesProcess.WON);
        Opportunity won = engine.win(atClosing, CORP_FREE, CloseInfo.won(CLOSE_DAY, eur("1.00"), null), ALICE);
        Guidance g = engine.nextActions(won, CORP_FREE);
        assertThat(g.nextStage()).isEmpty();
        assertThat(g.requiredToDo()).isEmpty();
        assertThat(g.readyToAdvance()).isFalse();
        assertThat(g.describe()).isEqualTo("Won: closed, nothing to do");
    }

    @Test
    void theCloseDateIsTheDayOfTheClosingTransitionInTheClocksZone() {
        // 23:30 UTC on 1 April is already 2 April in Berlin
        java.time.Clock berlin = java.time.Clock.fixed(Instant.parse("2026-04-01T23:30:00Z"), java.time.ZoneId.of("Europe/Berlin"));
        SalesProcessEngine inBerlin = new SalesProcessEngine(berlin);
        Opportunity lost = inBerlin.lose(inBerlin.open(CORP_FREE, blank()), CORP_FREE, CloseInfo.lost(null, "price", null),
                ALICE);
        assertThat(lost.closeInfo().orElseThrow().closeDate()).isEqualTo(LocalDate.of(2026, 4, 2));
        assertThat(lost.expectedCloseDate()).isEqualTo(LocalDate.of(2026, 6, 30));
    }

    @Test
    void aCloseDateFarFromTheClosingTransitionIsRejected() {
        Opportunity opp = engine.open(CORP_FREE, blank());
        rejected(() -> engine.lose(opp, CORP_FREE, CloseInfo.lost(LocalDate.of(2026, 5, 15), null, null), ALICE),
                "close.closeDate", "2026-05-15");
    }
}
