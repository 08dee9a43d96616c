package org.crmkit.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.crmkit.core.MissingExchangeRateException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.junit.jupiter.api.Test;

class CsvExchangeRatesTest {
    private static CsvExchangeRates of(String csv) throws IOException {
        return CsvExchangeRates.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRateHoldsFromItsDateUntilTheNextRateOfThePair() throws IOException {
        CurrencyConverter rates = CurrencyConverter.of(of("""
                # comment
                valid_from,base,term,factor
                2026-01-01,EUR,USD,1.10
                2026-02-01,EUR,USD,1.20
                """));
        assertThat(rates.rate(Amounts.currency("EUR"), Amounts.currency("USD"), LocalDate.of(2026, 1, 31)))
                .isEqualByComparingTo("1.10");
        assertThat(rates.rate(Amounts.currency("EUR"), Amounts.currency("USD"), LocalDate.of(2026, 2, 1)))
                .isEqualByComparingTo("1.20");
    }

    @Test
    void theInversePairIsDerived() throws IOException {
        CurrencyConverter rates = CurrencyConverter.of(of("2026-01-01,EUR,USD,1.25\n"));
        assertThat(rates.rate(Amounts.currency("USD"), Amounts.currency("EUR"), LocalDate.of(2026, 3, 1)))
                .isEqualByComparingTo(new BigDecimal("0.8"));
    }

    @Test
    void aDateBeforeTheFirstRateOrAnUnknownPairIsAMissingRate() throws IOException {
        CurrencyConverter rates = CurrencyConverter.of(of("2026-01-01,EUR,USD,1.25\n"));
        assertThatThrownBy(() -> rates.rate(Amounts.currency("EUR"), Amounts.currency("USD"),
                LocalDate.of(2025, 12, 31))).isInstanceOf(MissingExchangeRateException.class);
        assertThatThrownBy(() -> rates.rate(Amounts.currency("CHF"), Amounts.currency("USD"),
                LocalDate.of(2026, 2, 1))).isInstanceOf(MissingExchangeRateException.class);
    }

    @Test
    void aMalformedLineIsRejectedWithItsNumber() {
        assertThatThrownBy(() -> of("2026-01-01,EUR,USD,1.25\n2026-02-01,EUR,USD,-1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> of("2026-13-01,EUR,USD,1.25\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }

    @Test
    void theShippedTreasuryRatesCoverTheScenario() {
        CurrencyConverter rates = CurrencyConverter.of(CsvExchangeRates.treasury());
        for (LocalDate d = LocalDate.of(2025, 12, 1); d.isBefore(LocalDate.of(2027, 12, 31)); d = d.plusDays(7)) {
            assertThat(rates.rate(Amounts.currency("CHF"), Amounts.currency("USD"), d)).isPositive();
            assertThat(rates.rate(Amounts.currency("EUR"), Amounts.currency("USD"), d)).isPositive();
        }
    }
}
