package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.T0;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldHistoryTest {
    private static final ManagerId BOB = ManagerId.of("bob");
    private static final Instant DAY1 = T0.plus(Duration.ofDays(1));
    private static final Instant DAY5 = T0.plus(Duration.ofDays(5));

    @Test
    void anEditRecordsOneChangePerFieldThatDiffersAndNothingForTheSameValue() {
        Opportunity opp = draft().build();
        Opportunity edited = opp.edit(DAY1, BOB).amount(eur("15000.0")).expectedCloseDate(LocalDate.of(2026, 6, 30))
                .owner(BOB).probability(10).apply();
        assertThat(edited.changes()).containsExactly(
                new FieldChange(TrackedField.AMOUNT, "EUR 12000.00", "EUR 15000.00", DAY1, BOB),
                new FieldChange(TrackedField.OWNER, "alice", "bob", DAY1, BOB));
        assertThat(edited.owner()).isEqualTo(BOB);
        assertThat(opp.edit(DAY1, BOB).amount(eur("12000")).apply()).isSameAs(opp);
    }

    @Test
    void asOfUndoesEveryLaterChangeAndKeepsThoseAtTheInstant() {
        Opportunity opp = draft().build()
                .edit(DAY1, ALICE).amount(eur("15000.00")).expectedCloseDate(LocalDate.of(2026, 9, 30)).apply()
                .edit(DAY5, BOB).owner(BOB).amount(eur("9000.00")).forecastCategory(ForecastCategory.COMMIT).apply();
        Opportunity before = opp.asOf(DAY1.minusNanos(1)).orElseThrow();
        assertThat(before.amount()).contains(eur("12000.00"));
        assertThat(before.expectedCloseDate()).isEqualTo(LocalDate.of(2026, 6, 30));
        assertThat(before.owner()).isEqualTo(ALICE);
        assertThat(before.changes()).isEmpty();
        Opportunity atDay1 = opp.asOf(DAY1).orElseThrow();
        assertThat(atDay1.amount()).contains(eur("15000.00"));
        assertThat(atDay1.expectedCloseDate()).isEqualTo(LocalDate.of(2026, 9, 30));
        assertThat(atDay1.owner()).isEqualTo(ALICE);
        assertThat(atDay1.forecastCategory()).isEmpty();
        assertThat(atDay1.changes()).hasSize(2);
        assertThat(opp.asOf(DAY5)).containsSame(opp);
        assertThat(opp.asOf(T0.minusNanos(1))).isEmpty();
    }

    @Test
    void asOfFollowsTheStagesAndTheProbabilityTheEngineSet() {
        MutableClock clock = new MutableClock(T0);
        SalesProcessEngine engine = new SalesProcessEngine(clock);
        Opportunity opp = engine.open(CORP, draft().transitions(List.of()));
        opp = engine.completeStep(opp, CORP, CORP.stage(SalesProcesses.QUALIFICATION).requiredSteps().get(0).code());
        for (Step s : CORP.stage(SalesProcesses.QUALIFICATION).requiredSteps()) {
            opp = engine.completeStep(opp, CORP, s.code());
        }
        clock.advance(Duration.ofDays(3));
        Opportunity moved = engine.move(opp, CORP, SalesProcesses.KEY_CONTACTS, BOB);
        int defaultThen = CORP.stage(SalesProcesses.KEY_CONTACTS).defaultProbability();
        assertThat(moved.fieldHistory()).extracting(FieldChange::field).containsExactly(TrackedField.STAGE,
                TrackedField.STAGE, TrackedField.PROBABILITY);
        Opportunity then = moved.asOf(T0.plus(Duration.ofDays(2))).orElseThrow();
        assertThat(then.stage()).isEqualTo(SalesProcesses.QUALIFICATION);
        assertThat(then.probability()).isEqualTo(10);
        assertThat(moved.probability()).isEqualTo(defaultThen);
    }

    @Test
    void aDealClosedThenButReopenedSinceGetsItsCloseOfThen() {
        Opportunity won = Fixtures.wonDraft().build();
        Instant reopenedAt = T0.plus(Duration.ofDays(40));
        Opportunity reopened = won.toBuilder().stage(SalesProcesses.QUALIFICATION).closeInfo(null)
                .addTransition(new StageTransition(SalesProcess.WON, SalesProcesses.QUALIFICATION, reopenedAt, ALICE))
                .build();
        Opportunity then = reopened.asOf(T0.plus(Duration.ofDays(35))).orElseThrow();
        assertThat(then.status()).isEqualTo(OpportunityStatus.WON);
        assertThat(then.closeInfo().orElseThrow().closeDate()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(then.closeInfo().orElseThrow().actualRevenue()).isEqualTo(eur("12000.00"));
        Opportunity open = won.asOf(T0.plus(Duration.ofDays(29))).orElseThrow();
        assertThat(open.status()).isEqualTo(OpportunityStatus.OPEN);
        assertThat(open.closeInfo()).isEmpty();
        assertThat(won.asOf(T0.plus(Duration.ofDays(30)))).containsSame(won);
    }

    @Test
    void aHistoryStartSaysWhatIsNotKnownAndStaysInEveryReconstruction() {
        Instant upgrade = T0.plus(Duration.ofDays(10));
        Opportunity migrated = draft().changes(List.of(FieldChange.historyStart(upgrade, ALICE))).build();
        Opportunity later = migrated.edit(upgrade.plusSeconds(60), ALICE).amount(eur("1.00")).apply();
        assertThat(later.historyStart()).isEqualTo(upgrade);
        Opportunity early = later.asOf(T0.plusSeconds(1)).orElseThrow();
        assertThat(early.historyStart()).isEqualTo(upgrade);
        assertThat(early.amount()).contains(eur("12000.00"));
        assertThat(draft().build().historyStart()).isEqualTo(T0);
    }

    @Test
    void aHistoryThatDoesNotChainIsRefusedNamingTheChange() {
        FieldChange first = new FieldChange(TrackedField.AMOUNT, "EUR 10.00", "EUR 12000.00", DAY1, ALICE);
        assertThat(draft().changes(List.of(first)).build().changes()).containsExactly(first);
        rejected(() -> draft().changes(List.of(first,
                new FieldChange(TrackedField.AMOUNT, "EUR 11.00", "EUR 12000.00", DAY5, ALICE))).build(),
                "changes[1].from", "EUR 11.00");
        rejected(() -> draft().changes(List.of(new FieldChange(TrackedField.AMOUNT, "EUR 10.00", "EUR 11.00", DAY1,
                ALICE))).build(), "amount", "EUR 12000.00");
        rejected(() -> draft().changes(List.of(first, FieldChange.of(TrackedField.OWNER, BOB, ALICE, DAY1.minusNanos(1),
                ALICE))).build(), "changes[1].at", DAY1.minusNanos(1).toString());
        rejected(() -> draft().changes(List.of(new FieldChange(TrackedField.STAGE, null, SalesProcesses.QUALIFICATION,
                T0, ALICE))).build(), "changes[0].field", "STAGE");
        rejected(() -> draft().changes(List.of(first, FieldChange.historyStart(DAY5, ALICE))).build(),
                "changes[1].field", "HISTORY_START");
        rejected(() -> new FieldChange(TrackedField.PROBABILITY, "10", "101", DAY1, ALICE), "change.to", "101");
        rejected(() -> new FieldChange(TrackedField.AMOUNT, "EUR 10", "EUR 10.00", DAY1, ALICE), "change.to",
                "EUR 10.00");
        rejected(() -> draft().build().edit(DAY5, ALICE).owner(BOB).apply().edit(DAY1, ALICE).owner(ALICE).apply(),
                "change.at", DAY1.toString());
    }

    @Test
    void aCopyOfADealWithAHistoryRecordsWhatItChangesAndADealWithoutOneStaysWithout() {
        Opportunity tracked = draft().build().edit(DAY1, BOB).amount(eur("15000.00")).apply();
        Instant before = Instant.now();
        Opportunity copied = tracked.toBuilder().amount(eur("16000.00")).owner(BOB).title("renamed").build();
        Instant after = Instant.now();

        assertThat(copied.changes()).hasSize(3).startsWith(tracked.changes().get(0));
        assertThat(copied.changes().subList(1, 3)).extracting(FieldChange::field, FieldChange::from, FieldChange::to,
                FieldChange::by).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TrackedField.AMOUNT, "EUR 15000.00", "EUR 16000.00", BOB),
                        org.assertj.core.groups.Tuple.tuple(TrackedField.OWNER, "alice", "bob", BOB));
        assertThat(copied.changes().get(1).at()).isBetween(before, after);
        assertThat(copied.asOf(DAY5).orElseThrow().amount()).contains(eur("15000.00"));
        // only the title changed: nothing to record
        assertThat(tracked.toBuilder().title("renamed").build().changes()).isEqualTo(tracked.changes());
        // without a history, a copy changes values and records nothing (as before field history)
        assertThat(draft().build().toBuilder().amount(eur("1.00")).build().changes()).isEmpty();
        // replacing the history whole is the caller's word: it must chain
        rejected(() -> tracked.toBuilder().changes(tracked.changes()).amount(eur("1.00")).build(), "amount",
                "EUR 1.00");
    }

    @Test
    void aCopyWithoutHistoryContinuesTheStoredOneWithAChangePerTrackedFieldItChanged() {
        Opportunity stored = draft().build().edit(DAY1, ALICE).amount(eur("15000.00")).apply();
        Opportunity fromSource = draft().amount(eur("17000.00")).owner(BOB).probability(40).build();
        Instant sync = DAY5;

        Opportunity next = fromSource.continuingHistoryOf(stored, sync);

        assertThat(next.changes()).containsExactly(stored.changes().get(0),
                new FieldChange(TrackedField.AMOUNT, "EUR 15000.00", "EUR 17000.00", sync, BOB),
                new FieldChange(TrackedField.PROBABILITY, "10", "40", sync, BOB),
                new FieldChange(TrackedField.OWNER, "alice", "bob", sync, BOB));
        assertThat(next.sameContentApartFromHistoryAs(fromSource)).isTrue();
        assertThat(next.sameContentAs(fromSource)).isFalse();
        // a stored change later than the sync's clock: the new ones come after it, never before
        assertThat(fromSource.continuingHistoryOf(stored, T0).changes().get(1).at()).isEqualTo(DAY1);
        // the same values: nothing added; a source with a history of its own is taken as it is
        assertThat(draft().amount(eur("15000.00")).build().continuingHistoryOf(stored, sync).changes())
                .isEqualTo(stored.changes());
        assertThat(stored.continuingHistoryOf(draft().build(), sync)).isSameAs(stored);
        // a source that moved the creation past the stored history: that history is no longer
        // true, and a HISTORY_START at the write says the values before are unknown
        Opportunity createdLater = draft().createdAt(DAY5).amount(eur("17000.00")).build();
        assertThat(createdLater.continuingHistoryOf(stored, DAY5.plusSeconds(60)).changes())
                .containsExactly(FieldChange.historyStart(DAY5.plusSeconds(60), ALICE));
    }
}
