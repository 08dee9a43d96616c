package org.crmkit.core.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.stream.IntStream;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.junit.jupiter.api.Test;

class AmountsConcurrencyTest {
    @Test
    void amountsCreatedOnManyThreadsKeepTheirOwnCurrencyAndNumber() {
        CurrencyUnit eur = Amounts.currency("EUR");
        CurrencyUnit jpy = Amounts.currency("JPY");

        long wrong = IntStream.range(0, 400_000).parallel().filter(i -> {
            CurrencyUnit currency = i % 2 == 0 ? eur : jpy;
            MonetaryAmount amount = Amounts.of(BigDecimal.valueOf(i), currency);
            return !amount.getCurrency().equals(currency) || amount.getNumber().longValueExact() != i;
        }).count();

        assertThat(wrong).isZero();
    }
}
