package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.T0;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;
import static org.crmkit.core.Fixtures.usd;
import static org.crmkit.core.SalesProcesses.CLOSING;
import static org.crmkit.core.SalesProcesses.KEY_CONTACTS;
import static org.crmkit.core.SalesProcesses.QUALIFICATION;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class OpportunityTest {

    /** A draft created at {@code created}, closed into {@code terminal} from Qualification at {@code at}. */
    private static Opportunity.Builder closed(String terminal, Instant created, Instant at, CloseInfo info) {
        return draft().createdAt(created).stage(terminal).transitions(List.of(
                new StageTransition(null, QUALIFICATION, created, ALICE),
                new StageTransition(QUALIFICATION, terminal, at, ALICE))).closeInfo(info);
    }

    private static Instant noonOf(LocalDate day) {
        return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    private static Opportunity.Builder wonAt(LocalDate closeDate) {
        return closed(SalesProcess.WON, T0, noonOf(closeDate), CloseInfo.won(closeDate, eur("11000.00"), "best offer"));
    }

    private static Opportunity.Builder lostAt(LocalDate closeDate, CloseInfo info) {
        return closed(SalesProcess.LOST, T0, noonOf(closeDate), info);
    }

    @Test
    void aNewOpportunityRecordsItsEntryIntoTheInitialStage() {
        Opportunity opp = draft().build();
        assertThat(opp.transitions()).containsExactly(new StageTransition(null, QUALIFICATION, T0, ALICE));
        assertThat(opp.status()).isEqualTo(OpportunityStatus.OPEN);
        assertThat(opp.stageEnteredAt()).isEqualTo(T0);
        assertThat(opp.version()).isZero();
        assertThat(opp.tactic()).isEmpty();
        assertThat(opp.closeInfo()).isEmpty();
    }

    @Test
    void probabilityWithinZeroToHundredIsAccepted() {
        qt().withExamples(101).forAll(integers().between(0, 100))
                .checkAssert(p -> assertThat(draft().probability(p).build().probability()).isEqualTo(p));
    }

    @Test
    void probabilityOutsideZeroToHundredIsRejected() {
        qt().withExamples(200).forAll(integers().all().assuming(p -> p < 0 || p > 100))
                .checkAssert(p -> rejected(() -> draft().probability(p).build(), "probability", String.valueOf(p)));
        rejected(() -> draft().probability(150).build(), "probability", "150");
        rejected(() -> draft().probability(-1).build(), "probability", "-1");
    }

    @Test
    void missingRequiredValuesAreNamed() {
        rejected(() -> Opportunity.builder().build(), "id", "null");
        rejected(() -> draft().title(" ").build(), "title", "' '");
        rejected(() -> draft().owner(null).build(), "owner", "null");
        rejected(() -> draft().createdAt(null).build(), "createdAt", "null");
        rejected(() -> draft().expectedCloseDate(null).build(), "expectedCloseDate", "null");
        rejected(() -> Opportunity.builder().id("x").title("t").client(ClientRef.contact("c", "C")).owner(ALICE)
                .processId(CORP.id()).stage(QUALIFICATION).currency("EUR").createdAt(T0)
                .expectedCloseDate(LocalDate.of(2026, 4, 1)).build(), "probability", "null");
    }

    @Test
    void negativeAmountAndBudgetAreRejected() {
        rejected(() -> draft().amount(eur("-0.01")).build(), "amount", "EUR -0.01");
        rejected(() -> draft().budget(eur("-5")).build(), "budget", "EUR -5");
    }

    @Test
    void amountBudgetProductLineAndRevenueMustBeInTheOpportunityCurrency() {
        rejected(() -> draft().amount(usd("10.00")).build(), "amount.currency", "USD");
        rejected(() -> draft().budget(usd("10.00")).build(), "budget.currency", "USD");
        rejected(() -> draft().addProductLine(new ProductLine("SKU", BigDecimal.ONE, usd("5.00"), null)).build(),
                "productLine.unitPrice.currency", "USD");
        rejected(() -> wonAt(LocalDate.of(2026, 4, 1))
                .closeInfo(CloseInfo.won(LocalDate.of(2026, 4, 1), usd("10.00"), null)).build(),
                "close.actualRevenue.currency", "USD");
    }

    @Test
    void currencyComesFromTheAmountWhenNotSet() {
        Opportunity opp = draft().currency((javax.money.CurrencyUnit) null).amount(null).budget(usd("7.00")).build();
        assertThat(opp.currency().getCurrencyCode()).isEqualTo("USD");
    }

    @Test
    void amountsWithMoreFractionDigitsThanTheCurrencyAreRejected() {
        rejected(() -> draft().amount(eur("10.001")).build(), "amount", "EUR 10.001");
        rejected(() -> draft().budget(eur("0.005")).build(), "budget", "EUR 0.005");
        rejected(() -> draft().currency("JPY").amount(Amounts.of("100.5", "JPY")).build(), "amount", "JPY 100.5");
        rejected(() -> wonAt(LocalDate.of(2026, 4, 1)).closeInfo(CloseInfo.won(LocalDate.of(2026, 4, 1),
                eur("1.234"), null)).build(), "close.actualRevenue", "EUR 1.234");
        assertThat(draft().amount(eur("10.500")).build().amount()).contains(eur("10.50"));
        assertThat(draft().currency("KWD").amount(Amounts.of("1.234", "KWD")).build().amount())
                .contains(Amounts.of("1.234", "KWD"));
    }

    @Test
    void expectedCloseBeforeCreationIsRejectedLenientlyAtUtcMinus12() {
        // Created 05:00 UTC on 2 March: it is still 1 March at UTC-12.
        Instant early = Instant.parse("2026-03-02T05:00:00Z");
        assertThat(draft().createdAt(early).expectedCloseDate(LocalDate.of(2026, 3, 1)).build().expectedCloseDate())
                .isEqualTo(LocalDate.of(2026, 3, 1));
        rejected(() -> draft().createdAt(early).expectedCloseDate(LocalDate.of(2026, 2, 28)).build(),
                "expectedCloseDate", "2026-02-28");
        // Created 13:00 UTC on 2 March: it is 2 March everywhere, also at UTC-12.
        Instant late = Instant.parse("2026-03-02T13:00:00Z");
        rejected(() -> draft().createdAt(late).expectedCloseDate(LocalDate.of(2026, 3, 1)).build(),
                "expectedCloseDate", "2026-03-01");
        assertThat(draft().createdAt(late).expectedCloseDate(LocalDate.of(2026, 3, 2)).build()).isNotNull();
    }

    @Test
    void closeDateBeforeCreationIsRejectedLenientlyAtUtcMinus12() {
        // Created and won at 05:00 UTC on 2 March: it is still 1 March at UTC-12.
        Instant early = Instant.parse("2026-03-02T05:00:00Z");
        CloseInfo wonOn1March = CloseInfo.won(LocalDate.of(2026, 3, 1), eur("1.00"), null);
        assertThat(closed(SalesProcess.WON, early, early, wonOn1March).expectedCloseDate(LocalDate.of(2026, 3, 1))
                .build().status()).isEqualTo(OpportunityStatus.WON);
        rejected(() -> closed(SalesProcess.WON, early, early, CloseInfo.won(LocalDate.of(2026, 2, 28), eur("1.00"),
                null)).build(), "close.closeDate", "2026-02-28");
        Instant late = Instant.parse("2026-03-02T13:00:00Z");
        rejected(() -> closed(SalesProcess.WON, late, late, wonOn1March).build(), "close.closeDate", "2026-03-01");
    }

    @Test
    void aClosedDealNeedsAClosingTransitionNotACreationIntoWonOrLost() {
        // the trap: created won, every cycle and time in stage would be 0 days
        rejected(() -> draft().stage(SalesProcess.WON).closeInfo(CloseInfo.won(null, eur("1.00"), null)).build(),
                "transitions", "WON at creation only");
        rejected(() -> draft().stage(SalesProcess.LOST).transitions(List.of(new StageTransition(null, SalesProcess.LOST,
                T0, ALICE))).closeInfo(CloseInfo.lost(null, null, null)).build(), "transitions", "LOST at creation only");
        assertThatThrownBy(() -> draft().stage(SalesProcess.LOST).closeInfo(CloseInfo.lost(null, null, null)).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.opportunityId()).contains(OpportunityId.of("opp-1"));
                    assertThat(e.getMessage()).startsWith("opportunity opp-1: invalid transitions")
                            .contains("a closing transition from an open stage into LOST");
                });
    }

    @Test
    void theCloseDateIsTakenFromTheClosingTransitionWhenNotGiven() {
        Instant closing = Instant.parse("2026-04-03T22:30:00Z");
        Opportunity lost = closed(SalesProcess.LOST, T0, closing, CloseInfo.lost(null, "price", null)).build();
        assertThat(lost.closeInfo().orElseThrow().closeDate()).isEqualTo(LocalDate.of(2026, 4, 3));
        // given, it must be the transition's day in some zone (UTC-12 to UTC+14): 4 April is, 5 April is not
        assertThat(closed(SalesProcess.LOST, T0, closing, CloseInfo.lost(LocalDate.of(2026, 4, 4), null, null)).build()
                .closeInfo().orElseThrow().closeDate()).isEqualTo(LocalDate.of(2026, 4, 4));
        rejected(() -> closed(SalesProcess.LOST, T0, closing, CloseInfo.lost(LocalDate.of(2026, 4, 5), null, null))
                .build(), "close.closeDate", "2026-04-05");
    }

    @Test
    void closedAtIsTheClosingTransitionAndABadCloseDateNamesTheOpportunity() {
        Instant closing = Instant.parse("2026-04-03T22:30:00Z");
        Opportunity lost = closed(SalesProcess.LOST, T0, closing, CloseInfo.lost(null, "price", null)).build();
        assertThat(lost.closedAt()).contains(closing);
        assertThat(draft().build().closedAt()).isEmpty();
        assertThatThrownBy(() -> closed(SalesProcess.LOST, T0, closing,
                CloseInfo.lost(LocalDate.of(2026, 4, 2), null, null)).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.opportunityId()).contains(OpportunityId.of("opp-1"));
                    assertThat(e.getMessage()).contains("close.closeDate").contains("2026-04-02")
                            .contains("the day of the closing transition at 2026-04-03T22:30:00Z");
                });
    }

    @Test
    void aClosedDealNeedsNoExpectedCloseDate() {
        Opportunity won = wonAt(LocalDate.of(2026, 4, 1)).expectedCloseDate(null).build();
        assertThat(won.expectedCloseDate()).isEqualTo(LocalDate.of(2026, 4, 1));
        rejected(() -> draft().expectedCloseDate(null).build(), "expectedCloseDate", "null");
    }

    @Test
    void theProbabilityDefaultsToTheStageOfTheProcessGivenToTheBuilder() {
        Opportunity.Builder noProbability = Opportunity.builder().id("x").title("t").owner(ALICE).stage(KEY_CONTACTS)
                .currency("EUR").createdAt(T0).expectedCloseDate(LocalDate.of(2026, 4, 1));
        assertThat(noProbability.process(CORP).build().probability())
                .isEqualTo(CORP.stage(KEY_CONTACTS).defaultProbability());
        assertThat(noProbability.process(CORP).probability(33).build().probability()).isEqualTo(33);
        assertThatThrownBy(() -> Opportunity.builder().id("x").title("t").owner(ALICE).processId(CORP.id())
                .stage(QUALIFICATION).currency("EUR").createdAt(T0).expectedCloseDate(LocalDate.of(2026, 4, 1)).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("probability");
                    assertThat(e.expected()).contains("process(...)");
                });
    }

    @Test
    void anUnknownStageFailsTheBuildWhenTheBuilderKnowsTheProcessAndNamesTheOpportunity() {
        assertThatThrownBy(() -> draft().process(CORP).stage("NEGOTIATION")
                .transitions(List.of(new StageTransition(null, "NEGOTIATION", T0, ALICE))).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("stage");
                    assertThat(e.value()).isEqualTo("NEGOTIATION");
                    assertThat(e.opportunityId()).contains(OpportunityId.of("opp-1"));
                });
        // without the process the builder cannot know: stores and requireConformsTo name it
        Opportunity unchecked = draft().stage("NEGOTIATION")
                .transitions(List.of(new StageTransition(null, "NEGOTIATION", T0, ALICE))).build();
        assertThatThrownBy(() -> unchecked.requireConformsTo(CORP))
                .hasMessageStartingWith("opportunity opp-1: invalid stage: NEGOTIATION");
    }

    @Test
    void everyModelFailureNamesTheOpportunity() {
        assertThatThrownBy(() -> draft().id("deal-42").probability(140).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.opportunityId()).contains(OpportunityId.of("deal-42"));
                    assertThat(e.getMessage())
                            .isEqualTo("opportunity deal-42: invalid probability: 140 (expected between 0 and 100)");
                });
        assertThatThrownBy(() -> draft().id("deal-43").amount(usd("1.00")).build())
                .hasMessageStartingWith("opportunity deal-43: invalid amount.currency: USD");
        // no id, nothing to name
        assertThatThrownBy(() -> draft().id((OpportunityId) null).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.opportunityId()).isEmpty());
    }

    @Test
    void aMissingCurrencySaysHowToSetIt() {
        assertThatThrownBy(() -> draft().currency((javax.money.CurrencyUnit) null).amount(null).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("currency");
                    assertThat(e.expected()).contains("currency(...)").contains("amount or budget");
                });
    }

    @Test
    void theClientIsOptionalAndItsNameDefaultsToTheId() {
        assertThat(draft().client(null).build().client()).isEmpty();
        assertThat(ClientRef.account("acc-9", null).name()).isEqualTo("acc-9");
        assertThat(ClientRef.account("acc-9", " ").name()).isEqualTo("acc-9");
        rejected(() -> new ClientRef(null, ClientKind.ACCOUNT, "x"), "client.id", "null");
    }

    @Test
    void firstTransitionMustBeTheEntryAtOrAfterCreation() {
        rejected(() -> draft().transitions(List.of(new StageTransition(KEY_CONTACTS, QUALIFICATION, T0, ALICE))).build(),
                "transitions[0].from", KEY_CONTACTS);
        rejected(() -> draft().transitions(List.of(new StageTransition(null, QUALIFICATION, T0.minusSeconds(1), ALICE)))
                .build(), "transitions[0].at", T0.minusSeconds(1).toString());
    }

    @Test
    void transitionsMustChainInTimeOrderToTheCurrentStage() {
        StageTransition entry = new StageTransition(null, QUALIFICATION, T0, ALICE);
        rejected(() -> draft().stage(CLOSING).transitions(List.of(entry,
                new StageTransition(KEY_CONTACTS, CLOSING, T0.plusSeconds(60), ALICE))).build(),
                "transitions[1].from", KEY_CONTACTS);
        rejected(() -> draft().stage(KEY_CONTACTS).transitions(List.of(
                new StageTransition(null, QUALIFICATION, T0.plusSeconds(60), ALICE),
                new StageTransition(QUALIFICATION, KEY_CONTACTS, T0.plusSeconds(59), ALICE))).build(),
                "transitions[1].at", T0.plusSeconds(59).toString());
        rejected(() -> draft().stage(CLOSING).transitions(List.of(entry)).build(), "stage", CLOSING);
        Opportunity sameInstant = draft().stage(KEY_CONTACTS).transitions(List.of(entry,
                new StageTransition(QUALIFICATION, KEY_CONTACTS, T0, ALICE))).build();
        assertThat(sameInstant.stageAt(T0)).contains(KEY_CONTACTS);
    }

    @Test
    void aTransitionMustChangeTheStage() {
        rejected(() -> new StageTransition(QUALIFICATION, QUALIFICATION, T0, ALICE), "transition.to", QUALIFICATION);
        rejected(() -> new StageTransition(" ", QUALIFICATION, T0, ALICE), "transition.from", "' '");
    }

    @Test
    void statusFollowsTheStage() {
        assertThat(wonAt(LocalDate.of(2026, 4, 1)).build().status()).isEqualTo(OpportunityStatus.WON);
        assertThat(lostAt(LocalDate.of(2026, 4, 1), CloseInfo.lost(LocalDate.of(2026, 4, 1), "price", "Rival"))
                .build().status()).isEqualTo(OpportunityStatus.LOST);
        assertThat(draft().stage(CLOSING).build().status()).isEqualTo(OpportunityStatus.OPEN);
    }

    @Test
    void closeDataIsPresentExactlyWhenClosed() {
        rejected(() -> draft().closeInfo(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null)).build(), "closeInfo",
                String.valueOf(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null)));
        rejected(() -> lostAt(LocalDate.of(2026, 4, 1), null).build(), "closeInfo", "null");
        rejected(() -> wonAt(LocalDate.of(2026, 4, 1)).closeInfo(null).build(), "closeInfo", "null");
    }

    @Test
    void aWonOpportunityNeedsItsRevenueALostOneDoesNot() {
        rejected(() -> wonAt(LocalDate.of(2026, 4, 1)).closeInfo(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null))
                .build(), "close.actualRevenue", "null");
        rejected(() -> CloseInfo.won(LocalDate.of(2026, 4, 1), null, null), "close.actualRevenue", "null");
        assertThat(lostAt(LocalDate.of(2026, 4, 1), CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null))
                .build().closeInfo().flatMap(CloseInfo::actualRevenueIfAny)).isEmpty();
    }

    @Test
    void closeInfoRejectsNegativeHoursAndRevenue() {
        rejected(() -> CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null).withHoursSpent(new BigDecimal("-1")),
                "close.hoursSpent", "-1");
        rejected(() -> CloseInfo.won(LocalDate.of(2026, 4, 1), eur("-1.00"), null), "close.actualRevenue", "EUR -1");
        assertThat(CloseInfo.lost(null, null, null).closeDate()).isNull();
    }

    @Test
    void negativeVersionIsRejected() {
        rejected(() -> draft().version(-1).build(), "version", "-1");
    }

    @Test
    void requireConformsToChecksProcessStagesAndSteps() {
        assertThat(draft().build().requireConformsTo(CORP)).isNotNull();
        rejected(() -> draft().stage("NEGOTIATION").transitions(List.of(new StageTransition(null, "NEGOTIATION", T0,
                ALICE))).build().requireConformsTo(CORP), "stage", "NEGOTIATION");
        rejected(() -> draft().stage(KEY_CONTACTS).transitions(List.of(new StageTransition(null, "DRAFT", T0, ALICE),
                new StageTransition("DRAFT", KEY_CONTACTS, T0, ALICE))).build().requireConformsTo(CORP),
                "transitions[0].stage", "DRAFT");
        rejected(() -> draft().completeStep("no-such-step").build().requireConformsTo(CORP), "step", "no-such-step");
        rejected(() -> draft().processId(ProcessId.of("other")).build().requireConformsTo(CORP), "processId", "other");
    }

    @Test
    void stageAtReplaysTheTransitions() {
        Opportunity opp = draft().stage(CLOSING).transitions(List.of(
                new StageTransition(null, QUALIFICATION, T0, ALICE),
                new StageTransition(QUALIFICATION, CLOSING, T0.plusSeconds(100), ALICE))).build();
        assertThat(opp.stageAt(T0.minusNanos(1))).isEmpty();
        assertThat(opp.stageAt(T0)).contains(QUALIFICATION);
        assertThat(opp.stageAt(T0.plusSeconds(99))).contains(QUALIFICATION);
        assertThat(opp.stageAt(T0.plusSeconds(100))).contains(CLOSING);
        assertThat(opp.stageEnteredAt()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void toBuilderKeepsEveryValue() {
        qt().withExamples(100).forAll(RandomOpportunities.opportunities())
                .checkAssert(opp -> assertThat(opp.toBuilder().build()).isEqualTo(opp).hasSameHashCodeAs(opp));
    }

    @Test
    void listsAreUnmodifiable() {
        Opportunity opp = draft().addLead(new Lead("l1", "training")).build();
        assertThatThrownBy(() -> opp.leads().add(new Lead("l2", "x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> opp.transitions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void productLineTotalIsExactAfterDiscount() {
        ProductLine line = new ProductLine("SKU", new BigDecimal("3"), eur("19.99"), new BigDecimal("12.5"));
        // 3 x 19.99 = 59.97; 59.97 x 0.875 = 52.47375, kept exact (no rounding).
        assertThat(Amounts.decimal(line.total())).isEqualByComparingTo("52.47375");
        assertThat(new ProductLine("SKU", BigDecimal.ONE, eur("5.00"), null).discountPercent()).isZero();
    }

    @Test
    void productLineRulesAreChecked() {
        rejected(() -> new ProductLine("SKU", BigDecimal.ZERO, eur("1.00"), null), "productLine.quantity", "0");
        rejected(() -> new ProductLine("SKU", BigDecimal.ONE, eur("-1.00"), null), "productLine.unitPrice", "EUR -1");
        rejected(() -> new ProductLine("SKU", BigDecimal.ONE, eur("1.00"), new BigDecimal("100.1")),
                "productLine.discountPercent", "100.1");
        rejected(() -> new ProductLine(" ", BigDecimal.ONE, eur("1.00"), null), "productLine.product", "' '");
    }

    @Test
    void childValuesRejectMissingParts() {
        rejected(() -> new Competitor("", null, null), "competitor.name", "''");
        assertThat(new Competitor("Rival", null, null).strengths()).isEmpty();
        rejected(() -> new Participant(ContactId.of("p"), "Pat", null, Attitude.NEUTRAL), "participant.role", "null");
        rejected(() -> new Lead("l1", " "), "lead.need", "' '");
        rejected(() -> new HistoryEntry("h1", HistoryKind.EMAIL, T0, ALICE, "", null), "history.subject", "''");
        assertThat(new HistoryEntry("h1", HistoryKind.EMAIL, T0, ALICE, "Hi", null).body()).isEmpty();
        rejected(() -> new ClientRef(ClientId.of("c"), null, "C"), "client.kind", "null");
    }
}
