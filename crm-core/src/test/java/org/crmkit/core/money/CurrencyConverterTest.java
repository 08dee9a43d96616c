package org.crmkit.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.rejected;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import javax.money.convert.ConversionQuery;
import javax.money.convert.ConversionQueryBuilder;
import javax.money.convert.CurrencyConversion;
import javax.money.convert.ExchangeRate;
import javax.money.convert.ExchangeRateProvider;
import javax.money.convert.ProviderContext;
import org.crmkit.core.MissingExchangeRateException;
import org.junit.jupiter.api.Test;

class CurrencyConverterTest {
    private static final CurrencyUnit EUR = Amounts.currency("EUR");
    private static final CurrencyUnit USD = Amounts.currency("USD");
    private static final CurrencyUnit GBP = Amounts.currency("GBP");
    private static final CurrencyUnit JPY = Amounts.currency("JPY");
    private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
    private static final LocalDate FEB_1 = LocalDate.of(2026, 2, 1);

    private static final ExchangeRateTable TABLE = ExchangeRateTable.builder()
            .rate("EUR", "USD", JAN_1, "1.10")
            .rate("EUR", "USD", FEB_1, "1.20")
            .rate("EUR", "JPY", JAN_1, "160")
            .build();

    @Test
    void aDatedRateHoldsUntilTheNextOne() {
        CurrencyConverter c = CurrencyConverter.of(TABLE);
        assertThat(c.rate(EUR, USD, JAN_1)).isEqualByComparingTo("1.10");
        assertThat(c.rate(EUR, USD, LocalDate.of(2026, 1, 31))).isEqualByComparingTo("1.10");
        assertThat(c.rate(EUR, USD, FEB_1)).isEqualByComparingTo("1.20");
        assertThat(c.rate(EUR, USD, LocalDate.of(2030, 12, 31))).isEqualByComparingTo("1.20");
        assertThat(c.convert(new BigDecimal("100.00"), EUR, USD, LocalDate.of(2026, 1, 15)))
                .isEqualByComparingTo("110.00");
    }

    @Test
    void theInverseRateIsDerived() {
        CurrencyConverter c = CurrencyConverter.of(TABLE);
        BigDecimal expected = BigDecimal.ONE.divide(new BigDecimal("1.20"), MathContext.DECIMAL128);
        assertThat(c.rate(USD, EUR, FEB_1)).isEqualByComparingTo(expected);
        assertThat(TABLE.getExchangeRate(query(USD, EUR, FEB_1)).getExchangeRateChain()).hasSize(1)
                .first().extracting(ExchangeRate::getBaseCurrency).isEqualTo(EUR);
    }

    @Test
    void aMissingRateNamesThePairAndTheDate() {
        CurrencyConverter c = CurrencyConverter.of(TABLE);
        assertThatThrownBy(() -> c.rate(EUR, USD, LocalDate.of(2025, 12, 31)))
                .isInstanceOf(MissingExchangeRateException.class).hasMessageContaining("EUR->USD")
                .hasMessageContaining("2025-12-31");
        assertThatThrownBy(() -> c.convert(BigDecimal.ONE, GBP, JPY, JAN_1))
                .isInstanceOf(MissingExchangeRateException.class).hasMessageContaining("GBP->JPY")
                .hasMessageContaining("2026-01-01");
        assertThat(TABLE.isAvailable(query(GBP, JPY, JAN_1))).isFalse();
        assertThat(TABLE.isAvailable(query(JPY, EUR, JAN_1))).isTrue();
    }

    @Test
    void theSameCurrencyNeedsNoRate() {
        CurrencyConverter c = CurrencyConverter.identityOnly();
        assertThat(c.rate(EUR, EUR, JAN_1)).isEqualByComparingTo("1");
        assertThat(c.convert(new BigDecimal("12.34"), EUR, EUR, JAN_1)).isEqualTo(new BigDecimal("12.34"));
        assertThatThrownBy(() -> c.rate(EUR, USD, JAN_1)).isInstanceOf(MissingExchangeRateException.class);
    }

    @Test
    void conversionThereAndBackReturnsTheAmountWithinRounding() {
        CurrencyConverter c = CurrencyConverter.of(ExchangeRateTable.builder()
                .rate("EUR", "USD", JAN_1, "1.0873").rate("GBP", "EUR", JAN_1, "1.1719").build());
        qt().withExamples(300).forAll(longs().between(0, 1_000_000_000_000L), integers().between(0, 2))
                .checkAssert((cents, pair) -> {
                    CurrencyUnit other = pair == 0 ? USD : GBP;
                    BigDecimal amount = BigDecimal.valueOf(cents, 2);
                    BigDecimal there = c.convert(amount, EUR, other, JAN_1);
                    BigDecimal back = c.convert(there, other, EUR, JAN_1);
                    assertThat(Amounts.present(back, EUR)).isEqualTo(Amounts.present(amount, EUR));
                    assertThat(back.subtract(amount).abs()).isLessThan(new BigDecimal("1E-18"));
                });
    }

    @Test
    void theProviderIsAskedOncePerPairAndDate() {
        AtomicInteger calls = new AtomicInteger();
        ExchangeRateProvider counting = new ExchangeRateProvider() {
            @Override
            public ProviderContext getContext() {
                return TABLE.getContext();
            }

            @Override
            public ExchangeRate getExchangeRate(ConversionQuery q) {
                calls.incrementAndGet();
                return TABLE.getExchangeRate(q);
            }

            @Override
            public CurrencyConversion getCurrencyConversion(ConversionQuery q) {
                return TABLE.getCurrencyConversion(q);
            }
        };
        CurrencyConverter c = CurrencyConverter.of(counting);
        for (int i = 0; i < 5; i++) {
            c.convert(BigDecimal.TEN, EUR, USD, JAN_1);
        }
        c.convert(BigDecimal.TEN, EUR, USD, FEB_1);
        assertThat(calls).hasValue(2);
        assertThat(c.provider()).isSameAs(counting);
    }

    @Test
    void theTableWorksAsAJsr354Conversion() {
        CurrencyConversion toUsd = TABLE.getCurrencyConversion(
                ConversionQueryBuilder.of().setTermCurrency(USD).set(LocalDate.class, FEB_1).build());
        MonetaryAmount converted = Amounts.of("50.00", "EUR").with(toUsd);
        assertThat(converted.getCurrency()).isEqualTo(USD);
        assertThat(Amounts.decimal(converted)).isEqualByComparingTo("60.00");
    }

    @Test
    void badRatesAreRejected() {
        rejected(() -> ExchangeRateTable.builder().rate("EUR", "USD", JAN_1, "0"), "factor", "0");
        rejected(() -> ExchangeRateTable.builder().rate("EUR", "USD", JAN_1, "-1.2"), "factor", "-1.2");
        rejected(() -> ExchangeRateTable.builder().rate("EUR", "EUR", JAN_1, "1"), "to", "EUR");
        rejected(() -> ExchangeRateTable.builder().rate("EUR", "XYZ", JAN_1, "1"), "currency", "XYZ");
        rejected(() -> ExchangeRateTable.builder().rate("EUR", "USD", JAN_1, "1,10"), "factor", "1,10");
    }

    private static ConversionQuery query(CurrencyUnit from, CurrencyUnit to, LocalDate date) {
        return ConversionQueryBuilder.of().setBaseCurrency(from).setTermCurrency(to).set(LocalDate.class, date).build();
    }
}
