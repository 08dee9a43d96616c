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
import java.util.List;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class OpportunityTest {

    private static Opportunity.Builder wonAt(LocalDate closeDate) {
        return draft().stage(SalesProcess.WON).closeInfo(CloseInfo.won(closeDate, eur("11000.00"), "best offer"));
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
        rejected(() -> draft().client(null).build(), "client", "null");
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
        rejected(() -> draft().stage(SalesProcess.WON)
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
        Instant early = Instant.parse("2026-03-02T05:00:00Z");
        assertThat(wonAt(LocalDate.of(2026, 3, 1)).createdAt(early).expectedCloseDate(LocalDate.of(2026, 3, 1)).build()
                .status()).isEqualTo(OpportunityStatus.WON);
        rejected(() -> wonAt(LocalDate.of(2026, 2, 28)).createdAt(early).expectedCloseDate(LocalDate.of(2026, 3, 1))
                .build(), "close.closeDate", "2026-02-28");
        Instant late = Instant.parse("2026-03-02T13:00:00Z");
        rejected(() -> wonAt(LocalDate.of(2026, 3, 1)).createdAt(late).build(), "close.closeDate", "2026-03-01");
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
        assertThat(draft().stage(SalesProcess.LOST).closeInfo(CloseInfo.lost(LocalDate.of(2026, 4, 1), "price", "Rival"))
                .build().status()).isEqualTo(OpportunityStatus.LOST);
        assertThat(draft().stage(CLOSING).build().status()).isEqualTo(OpportunityStatus.OPEN);
    }

    @Test
    void closeDataIsPresentExactlyWhenClosed() {
        rejected(() -> draft().closeInfo(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null)).build(), "closeInfo",
                String.valueOf(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null)));
        rejected(() -> draft().stage(SalesProcess.LOST).build(), "closeInfo", "null");
        rejected(() -> draft().stage(SalesProcess.WON).build(), "closeInfo", "null");
    }

    @Test
    void aWonOpportunityNeedsItsRevenueALostOneDoesNot() {
        rejected(() -> draft().stage(SalesProcess.WON).closeInfo(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null))
                .build(), "close.actualRevenue", "null");
        rejected(() -> CloseInfo.won(LocalDate.of(2026, 4, 1), null, null), "close.actualRevenue", "null");
        assertThat(draft().stage(SalesProcess.LOST).closeInfo(CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null))
                .build().closeInfo().flatMap(CloseInfo::actualRevenueIfAny)).isEmpty();
    }

    @Test
    void closeInfoRejectsNegativeHoursAndRevenueAndAMissingDate() {
        rejected(() -> CloseInfo.lost(LocalDate.of(2026, 4, 1), null, null).withHoursSpent(new BigDecimal("-1")),
                "close.hoursSpent", "-1");
        rejected(() -> CloseInfo.won(LocalDate.of(2026, 4, 1), eur("-1.00"), null), "close.actualRevenue", "EUR -1");
        rejected(() -> CloseInfo.lost(null, null, null), "close.closeDate", "null");
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
                new StageTransition("DRAFT", KEY_CONTACTS, T0, ALICE))).build().requireConformsTo(CORP), "stage",
                "DRAFT");
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
