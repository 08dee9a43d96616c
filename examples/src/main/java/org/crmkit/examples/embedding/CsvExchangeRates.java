package org.crmkit.examples.embedding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.NumberValue;
import javax.money.convert.ConversionContext;
import javax.money.convert.ConversionQuery;
import javax.money.convert.ExchangeRate;
import javax.money.convert.ExchangeRateProvider;
import javax.money.convert.ProviderContext;
import javax.money.convert.RateType;
import org.javamoney.moneta.spi.AbstractRateProvider;
import org.javamoney.moneta.spi.DefaultNumberValue;

/**
 * The application's own exchange-rate provider, as an embedding application would write it:
 * dated rates read from a CSV file ({@code valid_from,base,term,factor}, {@code #} comments),
 * each valid from its date until the next rate of the same pair; the inverse pair is derived.
 * The date comes from the query ({@code query.get(LocalDate.class)}, which is how crmkit asks).
 * It is a plain JSR-354 {@link ExchangeRateProvider}: crmkit never sees the CSV, and nothing
 * goes to the network.
 */
public final class CsvExchangeRates extends AbstractRateProvider {
    private static final ProviderContext CONTEXT = ProviderContext.of("application-treasury", RateType.HISTORIC);
    private static final ConversionContext CONVERSION = ConversionContext.of("application-treasury",
            RateType.HISTORIC);

    private final Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> rates;

    private CsvExchangeRates(Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> rates) {
        super(CONTEXT);
        this.rates = rates;
    }

    /**
     * Reads the rates shipped with the example ({@code treasury-rates.csv}).
     *
     * @return the provider
     * @throws UncheckedIOException when the resource cannot be read
     */
    public static CsvExchangeRates treasury() {
        try (InputStream in = CsvExchangeRates.class.getResourceAsStream("treasury-rates.csv")) {
            return read(Objects.requireNonNull(in, "treasury-rates.csv on the class path"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading treasury-rates.csv", e);
        }
    }

    /**
     * Reads rates from CSV.
     *
     * @param csv the CSV text, UTF-8
     * @return the provider
     * @throws IOException when reading fails
     * @throws IllegalArgumentException when a line is malformed (the message names the line)
     */
    public static CsvExchangeRates read(InputStream csv) throws IOException {
        Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> rates = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith("valid_from")) {
                continue;
            }
            String[] f = text.split(",");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                BigDecimal factor = new BigDecimal(f[3].strip());
                if (factor.signum() <= 0) {
                    throw new IllegalArgumentException("factor must be positive");
                }
                rates.computeIfAbsent(List.of(Monetary.getCurrency(f[1].strip()), Monetary.getCurrency(f[2].strip())),
                        k -> new TreeMap<>()).put(LocalDate.parse(f[0].strip()), factor);
            } catch (IllegalArgumentException | DateTimeParseException | javax.money.MonetaryException e) {
                throw new IllegalArgumentException("treasury rates line " + number + " '" + line + "': "
                        + e.getMessage(), e);
            }
        }
        Map<List<CurrencyUnit>, NavigableMap<LocalDate, BigDecimal>> frozen = new HashMap<>();
        rates.forEach((k, v) -> frozen.put(k, Collections.unmodifiableNavigableMap(v)));
        return new CsvExchangeRates(Map.copyOf(frozen));
    }

    /**
     * The rate of a query's pair on its date.
     *
     * @param query base, term and (optionally) {@code LocalDate}; without a date the latest rate
     * @return the rate, or null when the pair (or its inverse) has no rate on that date
     */
    @Override
    public ExchangeRate getExchangeRate(ConversionQuery query) {
        CurrencyUnit base = query.getBaseCurrency();
        CurrencyUnit term = query.getCurrency();
        LocalDate date = query.get(LocalDate.class);
        BigDecimal direct = lookup(base, term, date);
        if (direct != null) {
            return new Rate(base, term, direct);
        }
        BigDecimal inverse = lookup(term, base, date);
        return inverse == null ? null : new Rate(base, term, BigDecimal.ONE.divide(inverse, MathContext.DECIMAL64));
    }

    private BigDecimal lookup(CurrencyUnit base, CurrencyUnit term, LocalDate date) {
        NavigableMap<LocalDate, BigDecimal> byDate = rates.get(List.of(base, term));
        if (byDate == null) {
            return null;
        }
        Entry<LocalDate, BigDecimal> e = date == null ? byDate.lastEntry() : byDate.floorEntry(date);
        return e == null ? null : e.getValue();
    }

    /** One looked-up rate. */
    private record Rate(CurrencyUnit base, CurrencyUnit term, BigDecimal factor) implements ExchangeRate {
        @Override
        public ConversionContext getContext() {
            return CONVERSION;
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
            return DefaultNumberValue.of(factor);
        }

        @Override
        public List<ExchangeRate> getExchangeRateChain() {
            return List.of(this);
        }
    }
}
