package org.crmkit.core.money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import javax.money.NumberValue;
import javax.money.convert.ConversionContext;
import javax.money.convert.ConversionContextBuilder;
import javax.money.convert.ConversionQuery;
import javax.money.convert.CurrencyConversion;
import javax.money.convert.CurrencyConversionException;
import javax.money.convert.ExchangeRate;
import javax.money.convert.ExchangeRateProvider;
import javax.money.convert.ProviderContext;
import javax.money.convert.RateType;
import org.crmkit.core.ValidationException;

/**
 * An in-memory, dated {@link ExchangeRateProvider}: the caller loads the rates it trusts
 * (from its ERP, its treasury, a file) and hands the table to crmkit. No network access.
 *
 * <p>A rate given for a date holds from that date until the next rate of the same pair.
 * When only the opposite pair is known, the inverse is derived with
 * {@link MathContext#DECIMAL128} precision and reported as a derived rate. The date is read
 * from {@code query.get(LocalDate.class)}; a query without a date uses today's date in UTC.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExchangeRateTable implements ExchangeRateProvider {
    private static final ProviderContext CONTEXT = ProviderContext.of("crmkit-table", RateType.HISTORIC);
    private static final ConversionContext CONVERSION_CONTEXT =
            ConversionContextBuilder.create(CONTEXT, RateType.HISTORIC).build();

    private final Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> rates;

    private ExchangeRateTable(Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> rates) {
        this.rates = rates;
    }

    /**
     * Starts a table.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects dated rates. */
    public static final class Builder {
        private final Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> rates = new HashMap<>();

        private Builder() {
        }

        /**
         * Adds a rate: one unit of {@code from} is worth {@code factor} units of {@code to}
         * from {@code validFrom} on.
         *
         * @param from base currency code
         * @param to term currency code
         * @param validFrom first day the rate holds
         * @param factor the rate, positive
         * @return this builder
         * @throws ValidationException when a currency is unknown or the factor is not a positive
         *     decimal number
         */
        public Builder rate(String from, String to, LocalDate validFrom, String factor) {
            BigDecimal value;
            try {
                value = new BigDecimal(Objects.requireNonNull(factor, "factor"));
            } catch (NumberFormatException e) {
                throw new ValidationException("factor", factor, "a positive decimal number");
            }
            return rate(Amounts.currency(from), Amounts.currency(to), validFrom, value);
        }

        /**
         * Adds a rate: one unit of {@code from} is worth {@code factor} units of {@code to}
         * from {@code validFrom} on.
         *
         * @param from base currency
         * @param to term currency
         * @param validFrom first day the rate holds
         * @param factor the rate, positive
         * @return this builder
         * @throws ValidationException when the factor is not positive or the currencies are equal
         */
        public Builder rate(CurrencyUnit from, CurrencyUnit to, LocalDate validFrom, BigDecimal factor) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(validFrom, "validFrom");
            Objects.requireNonNull(factor, "factor");
            ValidationException.require(factor.signum() > 0, "factor", factor, "a positive rate");
            ValidationException.require(!from.equals(to), "to", to, "a currency other than " + from);
            rates.computeIfAbsent(List.of(from, to), k -> new TreeMap<>()).put(validFrom, factor);
            return this;
        }

        /**
         * Builds the immutable table.
         *
         * @return the table
         */
        public ExchangeRateTable build() {
            Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> copy = new HashMap<>();
            rates.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(v))));
            return new ExchangeRateTable(Map.copyOf(copy));
        }
    }

    @Override
    public ProviderContext getContext() {
        return CONTEXT;
    }

    @Override
    public boolean isAvailable(ConversionQuery query) {
        return find(query.getBaseCurrency(), query.getCurrency(), dateOf(query)) != null;
    }

    @Override
    public ExchangeRate getExchangeRate(ConversionQuery query) {
        Objects.requireNonNull(query, "query");
        CurrencyUnit base = query.getBaseCurrency();
        CurrencyUnit term = query.getCurrency();
        LocalDate date = dateOf(query);
        ExchangeRate rate = find(base, term, date);
        if (rate == null) {
            throw new CurrencyConversionException(base, term, CONVERSION_CONTEXT,
                    "no rate " + code(base) + "->" + code(term) + " on " + date);
        }
        return rate;
    }

    @Override
    public CurrencyConversion getCurrencyConversion(ConversionQuery query) {
        return new Conversion(this, query);
    }

    private static String code(CurrencyUnit unit) {
        return unit == null ? "null" : unit.getCurrencyCode();
    }

    private static LocalDate dateOf(ConversionQuery query) {
        LocalDate date = query.get(LocalDate.class);
        return date != null ? date : LocalDate.now(java.time.ZoneOffset.UTC);
    }

    private ExchangeRate find(CurrencyUnit base, CurrencyUnit term, LocalDate date) {
        if (base == null || term == null) {
            return null;
        }
        if (base.equals(term)) {
            return new Rate(base, term, BigDecimal.ONE, List.of());
        }
        BigDecimal direct = lookup(base, term, date);
        if (direct != null) {
            return new Rate(base, term, direct, List.of());
        }
        BigDecimal inverse = lookup(term, base, date);
        if (inverse != null) {
            Rate source = new Rate(term, base, inverse, List.of());
            return new Rate(base, term, BigDecimal.ONE.divide(inverse, MathContext.DECIMAL128), List.of(source));
        }
        return null;
    }

    private BigDecimal lookup(CurrencyUnit base, CurrencyUnit term, LocalDate date) {
        NavigableMap<LocalDate, BigDecimal> series = rates.get(List.of(base, term));
        if (series == null) {
            return null;
        }
        Entry<LocalDate, BigDecimal> entry = series.floorEntry(date);
        return entry == null ? null : entry.getValue();
    }

    private record Rate(CurrencyUnit base, CurrencyUnit term, BigDecimal factor, List<ExchangeRate> chain)
            implements ExchangeRate {
        @Override
        public ConversionContext getContext() {
            return CONVERSION_CONTEXT;
        }

        @Override
        public CurrencyUnit getBaseCurrency() {
            return base;
        }

        @Override
        public CurrencyUnit getCurrency() {
            return term;
        }

        @Override
        public NumberValue getFactor() {
            // The JSR-354 API has no public NumberValue factory; an amount's number is one.
            return Amounts.of(factor, term).getNumber();
        }

        @Override
        public List<ExchangeRate> getExchangeRateChain() {
            return chain.isEmpty() ? List.of(this) : chain;
        }
    }

    private record Conversion(ExchangeRateTable table, ConversionQuery query) implements CurrencyConversion {
        @Override
        public ConversionContext getContext() {
            return CONVERSION_CONTEXT;
        }

        @Override
        public ExchangeRate getExchangeRate(MonetaryAmount amount) {
            return table.getExchangeRate(query.toBuilder().setBaseCurrency(amount.getCurrency()).build());
        }

        @Override
        public ExchangeRateProvider getExchangeRateProvider() {
            return table;
        }

        @Override
        public CurrencyUnit getCurrency() {
            return query.getCurrency();
        }

        @Override
        public MonetaryAmount apply(MonetaryAmount amount) {
            BigDecimal factor = getExchangeRate(amount).getFactor().numberValue(BigDecimal.class);
            return Amounts.of(Amounts.decimal(amount).multiply(factor), query.getCurrency());
        }
    }
}
