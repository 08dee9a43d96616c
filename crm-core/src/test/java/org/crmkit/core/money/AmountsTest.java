package org.crmkit.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.rejected;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Test;

class AmountsTest {
    private static final CurrencyUnit EUR = Amounts.currency("EUR");
    private static final CurrencyUnit JPY = Amounts.currency("JPY");
    private static final CurrencyUnit KWD = Amounts.currency("KWD");

    @Test
    void minorUnitsAreExactPerCurrency() {
        assertThat(Amounts.toMinorUnits(Amounts.of("1250.50", "EUR"))).isEqualTo(125_050L);
        assertThat(Amounts.toMinorUnits(Amounts.of("1250.5", "EUR"))).isEqualTo(125_050L);
        assertThat(Amounts.toMinorUnits(Amounts.of("1250", "EUR"))).isEqualTo(125_000L);
        assertThat(Amounts.toMinorUnits(Amounts.of("1000", "JPY"))).isEqualTo(1000L);
        assertThat(Amounts.toMinorUnits(Amounts.of("1.234", "KWD"))).isEqualTo(1234L);
        assertThat(Amounts.fractionDigits(EUR)).isEqualTo(2);
        assertThat(Amounts.fractionDigits(JPY)).isZero();
        assertThat(Amounts.fractionDigits(KWD)).isEqualTo(3);
    }

    @Test
    void minorUnitsRoundTripExactly() {
        qt().withExamples(500).forAll(longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000L))
                .checkAssert(minor -> {
                    for (CurrencyUnit c : new CurrencyUnit[] {EUR, JPY, KWD}) {
                        assertThat(Amounts.toMinorUnits(Amounts.fromMinorUnits(minor, c))).isEqualTo(minor);
                        assertThat(Amounts.decimalOfMinorUnits(minor, c))
                                .isEqualByComparingTo(Amounts.decimal(Amounts.fromMinorUnits(minor, c)));
                    }
                });
    }

    @Test
    void extraFractionDigitsAreRejectedNotRounded() {
        rejected(() -> Amounts.toMinorUnits(Amounts.of("1.005", "EUR")), "amount", "EUR 1.005");
        rejected(() -> Amounts.toMinorUnits(Amounts.of("10.5", "JPY")), "amount", "JPY 10.5");
        rejected(() -> Amounts.requireValid(Amounts.of("0.001", "EUR"), EUR, "budget"), "budget", "EUR 0.001");
    }

    @Test
    void amountsBeyondLongMinorUnitsOverflowLoudly() {
        BigDecimal justFits = BigDecimal.valueOf(Long.MAX_VALUE, 2);
        assertThat(Amounts.toMinorUnits(Amounts.of(justFits, EUR))).isEqualTo(Long.MAX_VALUE);
        BigDecimal tooBig = justFits.add(new BigDecimal("0.01"));
        rejected(() -> Amounts.toMinorUnits(Amounts.of(tooBig, EUR)), "amount", "EUR " + tooBig.toPlainString());
    }

    @Test
    void requireValidRefusesAmountsBeyondTheStoreLimit() {
        // the limit keeps amount x probability in basis points inside a long
        BigDecimal max = BigDecimal.valueOf(org.crmkit.core.StoreLimits.MAX_AMOUNT_MINOR, 2);
        assertThat(Amounts.requireValid(Amounts.of(max, EUR), EUR, "amount")).isNotNull();
        assertThat(Math.multiplyHigh(org.crmkit.core.StoreLimits.MAX_AMOUNT_MINOR, 10_000)).isZero();
        BigDecimal tooBig = max.add(new BigDecimal("0.01"));
        rejected(() -> Amounts.requireValid(Amounts.of(new BigDecimal("92233720368547758.07"), EUR), EUR, "amount"),
                "amount", "EUR 92233720368547758.07");
        rejected(() -> Amounts.requireValid(Amounts.of(tooBig, EUR), EUR, "amount"), "amount",
                "EUR " + tooBig.toPlainString());
        rejected(() -> org.crmkit.core.Fixtures.draft().amount(Amounts.of(new BigDecimal("1E+30"), EUR)).build(),
                "amount", "EUR 1000000000000000000000000000000");
    }

    @Test
    void requireValidChecksCurrencySignAndDigits() {
        assertThat(Amounts.requireValid(Amounts.of("3.10", "EUR"), EUR, "amount")).isEqualTo(Amounts.of("3.1", "EUR"));
        rejected(() -> Amounts.requireValid(Amounts.of("3.10", "USD"), EUR, "amount"), "amount.currency", "USD");
        rejected(() -> Amounts.requireValid(Amounts.of("-3.10", "EUR"), EUR, "amount"), "amount", "EUR -3.1");
        rejected(() -> Amounts.requireValid(null, EUR, "amount"), "amount", "null");
    }

    @Test
    void badTextIsAValidationError() {
        rejected(() -> Amounts.of("12,50", "EUR"), "amount", "12,50");
        rejected(() -> Amounts.of("1", "XYZ"), "currency", "XYZ");
        rejected(() -> Amounts.currency(" "), "currency", "' '");
    }

    @Test
    void presentationRoundsHalfEven() {
        assertThat(Amounts.decimal(Amounts.present(new BigDecimal("2.345"), EUR))).isEqualByComparingTo("2.34");
        assertThat(Amounts.decimal(Amounts.present(new BigDecimal("2.355"), EUR))).isEqualByComparingTo("2.36");
        assertThat(Amounts.decimal(Amounts.present(new BigDecimal("2.5"), JPY))).isEqualByComparingTo("2");
    }
}
