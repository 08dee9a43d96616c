package org.crmkit.core.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import javax.money.MonetaryAmountFactory;
import org.crmkit.core.StoreLimits;
import org.crmkit.core.ValidationException;

/**
 * Exact conversions between {@link MonetaryAmount} (the API boundary) and the forms the
 * hot paths use: {@link BigDecimal} and {@code long} minor units (cents).
 *
 * <p>crmkit keeps every amount of the model at most at its currency's default fraction
 * digits (2 for EUR, 0 for JPY), so the conversion to minor units is exact; an amount with
 * more digits is rejected rather than rounded. Aggregations add minor units with
 * {@link Math#addExact(long, long)}, which throws on overflow instead of wrapping.
 */
public final class Amounts {
    /**
     * Moneta logs its configured number context at INFO through java.util.logging the first
     * time money is created ("Using custom MathContext: precision=256 ..."): routine, nothing
     * to act on. Unless the host configured that logger, crmkit raises it to WARNING before
     * its first amount; the strong reference keeps the setting (JUL holds loggers weakly).
     */
    private static final java.util.logging.Logger MONETA_CONTEXT_LOG = quietMonetaContextLog();

    // A MonetaryAmountFactory is a mutable builder (setCurrency/setNumber then create), so
    // one shared instance mixes up currencies and numbers across threads: one per thread.
    private static final ThreadLocal<MonetaryAmountFactory<?>> FACTORY =
            ThreadLocal.withInitial(Monetary::getDefaultAmountFactory);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private Amounts() {
    }

    private static java.util.logging.Logger quietMonetaContextLog() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(
                "org.javamoney.moneta.DefaultMonetaryContextFactory");
        if (log.getLevel() == null) {
            log.setLevel(java.util.logging.Level.WARNING);
        }
        return log;
    }

    /**
     * Creates an amount.
     *
     * @param number the exact decimal value
     * @param currency the currency
     * @return the amount
     */
    public static MonetaryAmount of(BigDecimal number, CurrencyUnit currency) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(currency, "currency");
        return FACTORY.get().setCurrency(currency).setNumber(number).create();
    }

    /**
     * Creates an amount from a decimal string and an ISO-4217 currency code.
     *
     * @param number the exact decimal value, e.g. {@code "1250.50"}
     * @param currencyCode the currency code, e.g. {@code "EUR"}
     * @return the amount
     * @throws ValidationException when the number or the currency code is not valid
     */
    public static MonetaryAmount of(String number, String currencyCode) {
        BigDecimal value;
        try {
            value = new BigDecimal(Objects.requireNonNull(number, "number"));
        } catch (NumberFormatException e) {
            throw new ValidationException("amount", number, "a decimal number");
        }
        return of(value, currency(currencyCode));
    }

    /**
     * Looks up a currency by code.
     *
     * @param currencyCode ISO-4217 code: three letters A–Z
     * @return the currency
     * @throws ValidationException when the code is not three letters or is unknown
     */
    public static CurrencyUnit currency(String currencyCode) {
        ValidationException.requireText(currencyCode, "currency");
        // Checked before the lookup: Moneta compiles the code into a regular expression, which
        // took minutes for a megabyte-long "code"; and every store keeps currencies as CHAR(3).
        if (!isIsoShape(currencyCode)) {
            throw new ValidationException("currency", currencyCode.length() <= 40 ? currencyCode
                    : currencyCode.substring(0, 40) + "…", "an ISO-4217 currency code (three letters A-Z)");
        }
        try {
            return Monetary.getCurrency(currencyCode);
        } catch (RuntimeException e) {
            throw new ValidationException("currency", currencyCode, "an ISO-4217 currency code");
        }
    }

    private static boolean isIsoShape(String code) {
        if (code.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = code.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    /**
     * The exact decimal value of an amount, with trailing zeros as the amount holds them.
     *
     * @param amount the amount
     * @return its number as a {@code BigDecimal}
     */
    public static BigDecimal decimal(MonetaryAmount amount) {
        return amount.getNumber().numberValueExact(BigDecimal.class);
    }

    /**
     * The amount in minor units of its currency (cents for EUR), exactly.
     *
     * @param amount the amount
     * @return the minor units
     * @throws ValidationException when the amount has more fraction digits than its currency
     *     allows, or does not fit a {@code long}
     */
    public static long toMinorUnits(MonetaryAmount amount) {
        int digits = fractionDigits(amount.getCurrency());
        BigDecimal scaled = decimal(amount).movePointRight(digits);
        try {
            return scaled.longValueExact();
        } catch (ArithmeticException e) {
            throw new ValidationException("amount", amount,
                    "at most " + digits + " fraction digits for " + amount.getCurrency().getCurrencyCode()
                            + " and a value that fits 64-bit minor units");
        }
    }

    /**
     * An amount from minor units.
     *
     * @param minorUnits the value in minor units (cents)
     * @param currency the currency
     * @return the amount, at the currency's fraction digits
     */
    public static MonetaryAmount fromMinorUnits(long minorUnits, CurrencyUnit currency) {
        return of(BigDecimal.valueOf(minorUnits, fractionDigits(currency)), currency);
    }

    /**
     * A decimal value of minor units.
     *
     * @param minorUnits the value in minor units
     * @param currency the currency that fixes the scale
     * @return the exact decimal value
     */
    public static BigDecimal decimalOfMinorUnits(long minorUnits, CurrencyUnit currency) {
        return BigDecimal.valueOf(minorUnits, fractionDigits(currency));
    }

    /**
     * The number of fraction digits of a currency's minor unit; currencies without one
     * (pseudo currencies) count as 0.
     *
     * @param currency the currency
     * @return the fraction digits, at least 0
     */
    public static int fractionDigits(CurrencyUnit currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    /**
     * Checks that an amount is in the expected currency, not negative, exact at the
     * currency's minor unit and small enough that its minor units fit a {@code long}.
     *
     * @param amount the amount to check
     * @param currency the currency it must be in
     * @param field the field name used in the error
     * @return {@code amount}
     * @throws ValidationException when a rule is broken
     */
    public static MonetaryAmount requireValid(MonetaryAmount amount, CurrencyUnit currency, String field) {
        ValidationException.requireNonNull(amount, field);
        if (!amount.getCurrency().equals(currency)) {
            throw new ValidationException(field + ".currency", amount.getCurrency().getCurrencyCode(),
                    "the opportunity currency " + currency.getCurrencyCode());
        }
        ValidationException.require(!amount.isNegative(), field, amount, "an amount >= 0");
        BigDecimal value = decimal(amount);
        // Messages are built only on failure: this check runs for every amount of every
        // opportunity built, and formatting dominated the cost when it was eager.
        if (value.stripTrailingZeros().scale() > fractionDigits(currency)) {
            throw new ValidationException(field, amount,
                    "at most " + fractionDigits(currency) + " fraction digits");
        }
        // Hot paths add minor units as longs and multiply them by basis points: an amount beyond
        // the store limit would pass here and fail later in a report, so it is refused at the door.
        if (!fitsMinorUnits(value, fractionDigits(currency))) {
            throw new ValidationException(field, amount, "at most " + StoreLimits.MAX_AMOUNT_MINOR + " minor units");
        }
        StoreLimits.requireAmountMinor(value.movePointRight(fractionDigits(currency)).longValueExact(), field, amount);
        return amount;
    }

    private static boolean fitsMinorUnits(BigDecimal value, int digits) {
        // More than 19 integer digits never fits; checking that first keeps a value such as
        // 1E+999999999 from being expanded.
        BigDecimal minor = value.movePointRight(digits);
        if (minor.precision() - minor.scale() > 19) {
            return false;
        }
        return minor.compareTo(LONG_MIN) >= 0 && minor.compareTo(LONG_MAX) <= 0;
    }

    /**
     * Rounds a decimal for presentation at the currency's fraction digits, half-even
     * (banker's rounding). Use only when a figure is shown; computations stay exact.
     *
     * @param value the exact value
     * @param currency the currency
     * @return the rounded amount
     */
    public static MonetaryAmount present(BigDecimal value, CurrencyUnit currency) {
        return of(value.setScale(fractionDigits(currency), RoundingMode.HALF_EVEN), currency);
    }
}
