package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.T0;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.eur;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

/**
 * The model refuses, at construction, every value outside {@link StoreLimits}, with a
 * {@link ValidationException} naming the field; and accepts the values at each bound.
 */
class StoreLimitsTest {
    private static void refused(Runnable build, String field) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void keysUpToTheLimitPassAndLongerOnesAreRefused() {
        String longest = "k".repeat(StoreLimits.MAX_KEY_LENGTH - 1) + "é";
        assertThat(OpportunityId.of(longest).value()).hasSize(StoreLimits.MAX_KEY_LENGTH);
        refused(() -> OpportunityId.of(longest + "x"), "opportunityId");
        refused(() -> ManagerId.of("m".repeat(StoreLimits.MAX_KEY_LENGTH + 1)), "managerId");
        refused(() -> new Step("s".repeat(StoreLimits.MAX_KEY_LENGTH + 1), "Step", false), "step.code");
    }

    @Test
    void keysHoldOnlyCharactersOfTheBasicMultilingualPlane() {
        // U+FFFD sorts after U+1F600 in Java (UTF-16) but before it in PostgreSQL and SQLite
        assertThat(OpportunityId.of("a\uFFFD\uE000").value()).isEqualTo("a\uFFFD\uE000");
        refused(() -> OpportunityId.of("deal-\uD83D\uDE00"), "opportunityId");
        refused(() -> OpportunityId.of("lone-\uD800"), "opportunityId");
        refused(() -> UnitId.of("nul\u0000"), "unitId");
    }

    @Test
    void textKeepsEmojiButRefusesNulAndUnpairedSurrogates() {
        assertThat(draft().title("Deal \uD83D\uDE00 signed").build().title()).contains("\uD83D\uDE00");
        refused(() -> draft().title("x\uD800y").build(), "title");
        refused(() -> draft().title("x\uDC00").build(), "title");
        refused(() -> draft().tactic("before\u0000after").build(), "tactic");
        refused(() -> new HistoryEntry("h", HistoryKind.COMMENT, T0, ALICE, "s", "body \u0000"), "history.body");
        refused(() -> new Competitor("Acme", "cheap \uDBFF", ""), "competitor.strengths");
    }

    @Test
    void textUpToTheLimitPassesAndLongerTextIsRefused() {
        String longest = "t".repeat(StoreLimits.MAX_TEXT_LENGTH);
        assertThat(draft().tactic(longest).build().tactic()).hasSize(StoreLimits.MAX_TEXT_LENGTH);
        refused(() -> draft().tactic(longest + "t").build(), "tactic");
        refused(() -> new Lead("l1", longest + "t"), "lead.need");
    }

    @Test
    void amountsUpToTheLimitPassAndLargerOnesAreRefused() {
        BigDecimal max = BigDecimal.valueOf(StoreLimits.MAX_AMOUNT_MINOR, 2);
        assertThat(draft().amount(Amounts.of(max, Amounts.currency("EUR"))).build().amount()).isPresent();
        refused(() -> draft().amount(Amounts.of(max.add(new BigDecimal("0.01")), Amounts.currency("EUR"))).build(),
                "amount");
        refused(() -> draft().budget(Amounts.of(new BigDecimal("1E+20"), Amounts.currency("EUR"))).build(), "budget");
        refused(() -> new SalesPlan(ALICE, Period.inclusive(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31)),
                Amounts.of(max.add(BigDecimal.ONE), Amounts.currency("EUR"))), "plan.target");
    }

    @Test
    void decimalsFitNumeric38Scale12() {
        BigDecimal widest = new BigDecimal("99999999999999999999999999.999999999999");
        assertThat(new ProductLine("P", widest, eur("1.00"), BigDecimal.ZERO).quantity()).isEqualTo(widest);
        refused(() -> new ProductLine("P", new BigDecimal("0.0000000000001"), eur("1.00"), null), "productLine.quantity");
        refused(() -> new ProductLine("P", new BigDecimal("1E+26"), eur("1.00"), null), "productLine.quantity");
        refused(() -> new ProductLine("P", BigDecimal.ONE, eur("1.00"), new BigDecimal("0.1234567890123")),
                "productLine.discountPercent");
        refused(() -> new CloseInfo(LocalDate.of(2026, 5, 1), null, new BigDecimal("1.0000000000001"), null, null),
                "close.hoursSpent");
        // trailing zeros beyond the scale would be cut by NUMERIC(38, 12): refused, not altered
        refused(() -> new ProductLine("P", new BigDecimal("1.0000000000000"), eur("1.00"), null),
                "productLine.quantity");
    }

    @Test
    void datesAndInstantsOutsideTheStoredRangeAreRefusedWithoutARawDateTimeException() {
        Instant first = StoreLimits.MIN_INSTANT;
        Opportunity early = draft().createdAt(first).expectedCloseDate(StoreLimits.MIN_DATE)
                .transitions(List.of(new StageTransition(null, SalesProcesses.QUALIFICATION, first, ALICE))).build();
        assertThat(early.createdAt()).isEqualTo(first);
        refused(() -> draft().createdAt(Instant.MIN).build(), "createdAt");
        refused(() -> draft().createdAt(Instant.MAX).build(), "createdAt");
        refused(() -> draft().createdAt(first.minusNanos(1)).build(), "createdAt");
        refused(() -> draft().expectedCloseDate(StoreLimits.MAX_DATE.plusDays(1)).build(), "expectedCloseDate");
        refused(() -> draft().expectedCloseDate(LocalDate.of(10_000, 1, 1)).build(), "expectedCloseDate");
        refused(() -> new StageTransition(null, "A", StoreLimits.MAX_INSTANT.plusNanos(1), ALICE), "transition.at");
        refused(() -> new CloseInfo(LocalDate.of(0, 1, 1), null, null, null, null), "close.closeDate");
        refused(() -> new SalesPlan(ALICE, Period.inclusive(LocalDate.of(2199, 10, 1), LocalDate.of(2200, 1, 1)),
                eur("1.00")), "plan.period.end");
    }

    @Test
    // a liveness guard, not a speed assertion: the lookup of this code used to run for minutes
    @org.junit.jupiter.api.Timeout(120)
    void currencyCodesAreThreeLettersCheckedBeforeTheLookup() {
        refused(() -> Amounts.currency("EURO"), "currency");
        refused(() -> Amounts.currency("eur"), "currency");
        // Moneta compiles a looked-up code into a regular expression: a megabyte-long "code"
        // took minutes (found by JsonImportFuzzTest) before the shape was checked first
        refused(() -> Amounts.currency("E".repeat(1_000_000)), "currency");
        assertThat(Amounts.currency("JPY").getCurrencyCode()).isEqualTo("JPY");
    }
}
