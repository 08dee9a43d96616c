package org.crmkit.core.money;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.money.CurrencyUnit;
import javax.money.MonetaryException;
import javax.money.convert.ConversionQuery;
import javax.money.convert.ConversionQueryBuilder;
import javax.money.convert.ExchangeRate;
import javax.money.convert.ExchangeRateProvider;
import org.crmkit.core.MissingExchangeRateException;

/**
 * Converts exact decimals between currencies with dated rates from a caller-supplied
 * {@link ExchangeRateProvider}. Rates are asked with the date set as
 * {@code ConversionQuery.get(LocalDate.class)}, the JSR-354 convention for historic rates,
 * and cached per (from, to, date), so a report that converts many cells asks the provider
 * once per pair and date. The product {@code amount × rate} is exact (no rounding): round
 * only when presenting.
 *
 * <p>Thread-safe when the provider is.
 */
public final class CurrencyConverter {
    private final ExchangeRateProvider provider;
    private final ConcurrentMap<Key, BigDecimal> cache = new ConcurrentHashMap<>();

    private record Key(CurrencyUnit from, CurrencyUnit to, LocalDate date) {
    }

    private CurrencyConverter(ExchangeRateProvider provider) {
        this.provider = provider;
    }

    /**
     * Creates a converter over a provider.
     *
     * @param provider the caller's exchange-rate provider (no network access is made by crmkit)
     * @return the converter
     */
    public static CurrencyConverter of(ExchangeRateProvider provider) {
        return new CurrencyConverter(Objects.requireNonNull(provider, "provider"));
    }

    /**
     * A converter that only accepts amounts already in the target currency; any other pair
     * fails with {@link MissingExchangeRateException}. Useful for single-currency tenants.
     *
     * @return the converter
     */
    public static CurrencyConverter identityOnly() {
        return new CurrencyConverter(ExchangeRateTable.builder().build());
    }

    /**
     * The provider behind this converter.
     *
     * @return the provider
     */
    public ExchangeRateProvider provider() {
        return provider;
    }

    /**
     * The rate that converts one unit of {@code from} into {@code to} on {@code date}.
     *
     * @param from base currency
     * @param to term currency
     * @param date the date of the rate
     * @return the factor ({@code 1} when the currencies are equal)
     * @throws MissingExchangeRateException when the provider has no such rate
     */
    public BigDecimal rate(CurrencyUnit from, CurrencyUnit to, LocalDate date) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(date, "date");
        if (from.equals(to)) {
            return BigDecimal.ONE;
        }
        return cache.computeIfAbsent(new Key(from, to, date), this::lookup);
    }

    private BigDecimal lookup(Key key) {
        ConversionQuery query = ConversionQueryBuilder.of()
                .setBaseCurrency(key.from())
                .setTermCurrency(key.to())
                .set(LocalDate.class, key.date())
                .build();
        ExchangeRate rate;
        try {
            rate = provider.getExchangeRate(query);
        } catch (MonetaryException e) {
            throw new MissingExchangeRateException(key.from(), key.to(), key.date(), e);
        }
        if (rate == null) {
            throw new MissingExchangeRateException(key.from(), key.to(), key.date(), null);
        }
        return rate.getFactor().numberValue(BigDecimal.class);
    }

    /**
     * Converts an exact decimal.
     *
     * @param amount the value in {@code from}
     * @param from its currency
     * @param to the target currency
     * @param date the date of the rate
     * @return {@code amount × rate}, exact
     * @throws MissingExchangeRateException when the provider has no such rate
     */
    public BigDecimal convert(BigDecimal amount, CurrencyUnit from, CurrencyUnit to, LocalDate date) {
        Objects.requireNonNull(amount, "amount");
        BigDecimal rate = rate(from, to, date);
        return from.equals(to) ? amount : amount.multiply(rate);
    }
}
