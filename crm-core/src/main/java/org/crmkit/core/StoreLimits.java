package org.crmkit.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The one definition of the values every crmkit store accepts and gives back unchanged: the
 * in-memory store, the embedded store, PostgreSQL, the in-memory columns of the funnel and the
 * JSON format. The model ({@link Opportunity}, {@link SalesProcess}, {@link OrgStructure},
 * {@link SalesPlan}) and the JSON reader reject anything outside these limits with a
 * {@link ValidationException} naming the field and the value, so a value that was accepted
 * can always be stored, read back equal and aggregated; every store accepts everything inside
 * them (the contract suite in {@code crm-testkit} tests each bound on every store).
 *
 * <ul>
 *   <li><b>Keys</b> (identifiers and codes: opportunity, manager, unit, process, stage, step,
 *       client, contact, lead and history ids): 1 to {@value #MAX_KEY_LENGTH} characters of the
 *       Basic Multilingual Plane (no emoji or other supplementary characters: the databases
 *       order those differently from Java, and a key must sort the same in every store; 240
 *       leaves room for the node kind a plan's key column prefixes, e.g. {@code manager:}).</li>
 *   <li><b>Text</b> (titles, names, notes, bodies): at most {@value #MAX_TEXT_LENGTH}
 *       characters.</li>
 *   <li><b>Characters</b> in keys and text: no NUL ({@code U+0000}: PostgreSQL cannot store it)
 *       and no unpaired surrogate (PostgreSQL's UTF-8 encoding would silently replace it with
 *       {@code ?}, so two distinct ids could collide).</li>
 *   <li><b>Money</b>: an amount, budget, revenue or plan target is at most
 *       {@value #MAX_AMOUNT_MINOR} minor units (EUR 9,223,372,036,854.77): its expected value
 *       in minor units × basis points ({@code amount × 10,000}) still fits a {@code long},
 *       so every single figure the engines derive from one deal is exact and only a sum of
 *       very many such deals can overflow (reported as {@link AmountOverflowException}).</li>
 *   <li><b>Other decimals</b> (quantities, unit prices, discounts, hours): at most
 *       {@value #MAX_DECIMAL_FRACTION_DIGITS} fraction digits and
 *       {@value #MAX_DECIMAL_INTEGER_DIGITS} integer digits ({@code NUMERIC(38, 12)}).</li>
 *   <li><b>Currencies</b>: codes of three letters A–Z ({@code CHAR(3)} columns); a custom
 *       currency unit with another code cannot be stored.</li>
 *   <li><b>Dates and instants</b>: from {@link #MIN_DATE} to {@link #MAX_DATE} (years 1900 to
 *       2199), instants from the start of the first day to the end of the last in UTC. Every
 *       database stores these dates, and the funnel's columns hold instants as 64-bit
 *       nanoseconds (years 1678 to 2261).</li>
 * </ul>
 */
public final class StoreLimits {
    /**
     * The longest key, in characters: the key columns are {@code VARCHAR(255)}, and a plan's
     * node key adds its kind ({@code manager:}, {@code unit:}).
     */
    public static final int MAX_KEY_LENGTH = 240;
    /** The longest text, in UTF-16 characters (H2's {@code VARCHAR(1000000)}). */
    public static final int MAX_TEXT_LENGTH = 1_000_000;
    /**
     * The largest amount in minor units: {@code Long.MAX_VALUE / 10_000}, so that an amount
     * times a probability in basis points is an exact {@code long}.
     */
    public static final long MAX_AMOUNT_MINOR = Long.MAX_VALUE / 10_000;
    /** The most fraction digits of a plain decimal (quantity, unit price, discount, hours). */
    public static final int MAX_DECIMAL_FRACTION_DIGITS = 12;
    /** The most integer digits of a plain decimal ({@code NUMERIC(38, 12)} leaves 26). */
    public static final int MAX_DECIMAL_INTEGER_DIGITS = 26;
    /** The earliest date any store holds. */
    public static final LocalDate MIN_DATE = LocalDate.of(1900, 1, 1);
    /** The latest date any store holds. */
    public static final LocalDate MAX_DATE = LocalDate.of(2199, 12, 31);
    /** The earliest instant any store holds: the start of {@link #MIN_DATE} in UTC. */
    public static final Instant MIN_INSTANT = MIN_DATE.atStartOfDay(ZoneOffset.UTC).toInstant();
    /** The latest instant any store holds: the last nanosecond of {@link #MAX_DATE} in UTC. */
    public static final Instant MAX_INSTANT = MAX_DATE.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
            .minusNanos(1);

    private StoreLimits() {
    }

    /**
     * Checks a key: non-blank, at most {@link #MAX_KEY_LENGTH} characters, storable characters.
     *
     * @param value the key
     * @param field the field, named in the failure
     * @return {@code value}
     * @throws ValidationException when the key is null, blank, too long or holds a character
     *     no store keeps
     */
    public static String requireKey(String value, String field) {
        ValidationException.requireText(value, field);
        if (value.length() > MAX_KEY_LENGTH) {
            throw new ValidationException(field, abbreviate(value),
                    "at most " + MAX_KEY_LENGTH + " characters, not " + value.length());
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new ValidationException(field, escape(value), "no NUL character (U+0000), found at index " + i);
            }
            if (Character.isSurrogate(c)) {
                throw new ValidationException(field, escape(value),
                        "characters of the Basic Multilingual Plane only (no emoji or other supplementary"
                                + " character), found U+" + Integer.toHexString(value.codePointAt(i)).toUpperCase()
                                + " at index " + i);
            }
        }
        return value;
    }

    /**
     * Checks a required text: non-blank, then as {@link #requireText(String, String)}.
     *
     * @param value the text
     * @param field the field, named in the failure
     * @return {@code value}
     * @throws ValidationException when the text is null, blank, too long or holds a character
     *     no store keeps
     */
    public static String requireNonBlank(String value, String field) {
        return requireText(ValidationException.requireText(value, field), field);
    }

    /**
     * Checks a text: at most {@link #MAX_TEXT_LENGTH} characters, storable characters; null
     * passes (the caller decides whether the text is required).
     *
     * @param value the text, or null
     * @param field the field, named in the failure
     * @return {@code value}
     * @throws ValidationException when the text is too long or holds a character no store keeps
     */
    public static String requireText(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new ValidationException(field, abbreviate(value),
                    "at most " + MAX_TEXT_LENGTH + " characters, not " + value.length());
        }
        requireStorableChars(value, field);
        return value;
    }

    private static void requireStorableChars(String value, String field) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new ValidationException(field, escape(value), "no NUL character (U+0000), found at index " + i);
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    throw new ValidationException(field, escape(value),
                            "no unpaired surrogate, found U+" + Integer.toHexString(c).toUpperCase() + " at index " + i);
                }
            }
        }
    }

    /**
     * Checks an amount's minor units against {@link #MAX_AMOUNT_MINOR} (amounts are never
     * negative in the model).
     *
     * @param minorUnits the amount in minor units
     * @param field the field, named in the failure
     * @param shown the amount as the user gave it, for the message
     * @return {@code minorUnits}
     * @throws ValidationException when the amount is larger
     */
    public static long requireAmountMinor(long minorUnits, String field, Object shown) {
        if (minorUnits > MAX_AMOUNT_MINOR || minorUnits < -MAX_AMOUNT_MINOR) {
            throw new ValidationException(field, shown, "at most " + MAX_AMOUNT_MINOR + " minor units");
        }
        return minorUnits;
    }

    /**
     * Checks a currency: its code is three letters A–Z.
     *
     * @param currency the currency
     * @param field the field, named in the failure
     * @return {@code currency}
     * @throws ValidationException when the code has another form
     */
    public static javax.money.CurrencyUnit requireCurrency(javax.money.CurrencyUnit currency, String field) {
        ValidationException.requireNonNull(currency, field);
        String code = currency.getCurrencyCode();
        boolean threeLetters = code != null && code.length() == 3;
        for (int i = 0; threeLetters && i < 3; i++) {
            threeLetters = code.charAt(i) >= 'A' && code.charAt(i) <= 'Z';
        }
        if (!threeLetters) {
            throw new ValidationException(field, code, "a currency code of three letters A-Z");
        }
        return currency;
    }

    /**
     * Checks a plain decimal against {@code NUMERIC(38, 12)}.
     *
     * @param value the decimal
     * @param field the field, named in the failure
     * @return {@code value}
     * @throws ValidationException when it has too many fraction or integer digits
     */
    public static BigDecimal requireDecimal(BigDecimal value, String field) {
        ValidationException.requireNonNull(value, field);
        BigDecimal stripped = value.stripTrailingZeros();
        int fraction = Math.max(stripped.scale(), 0);
        int integer = stripped.precision() - stripped.scale();
        if (value.scale() > MAX_DECIMAL_FRACTION_DIGITS) {
            throw new ValidationException(field, value.toPlainString(),
                    "at most " + MAX_DECIMAL_FRACTION_DIGITS + " fraction digits");
        }
        if (fraction > MAX_DECIMAL_FRACTION_DIGITS || integer > MAX_DECIMAL_INTEGER_DIGITS) {
            throw new ValidationException(field, value.toPlainString(),
                    "at most " + MAX_DECIMAL_INTEGER_DIGITS + " integer and " + MAX_DECIMAL_FRACTION_DIGITS
                            + " fraction digits");
        }
        return value;
    }

    /**
     * Checks a date against {@link #MIN_DATE} and {@link #MAX_DATE}; null passes.
     *
     * @param value the date, or null
     * @param field the field, named in the failure
     * @return {@code value}
     * @throws ValidationException when the date is outside the range
     */
    public static LocalDate requireDate(LocalDate value, String field) {
        if (value != null && (value.isBefore(MIN_DATE) || value.isAfter(MAX_DATE))) {
            throw new ValidationException(field, value, "a date from " + MIN_DATE + " to " + MAX_DATE);
        }
        return value;
    }

    /**
     * Checks an instant against {@link #MIN_INSTANT} and {@link #MAX_INSTANT}; null passes.
     *
     * @param value the instant, or null
     * @param field the field, named in the failure
     * @return {@code value}
     * @throws ValidationException when the instant is outside the range
     */
    public static Instant requireInstant(Instant value, String field) {
        if (value != null && (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT))) {
            throw new ValidationException(field, value, "an instant from " + MIN_INSTANT + " to " + MAX_INSTANT);
        }
        return value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? escape(value) : escape(value.substring(0, 40)) + "…";
    }

    /** The text with NUL and lone surrogates made visible, so the message itself is storable. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), 80) + 2).append('\'');
        for (int i = 0, n = Math.min(value.length(), 80); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0 || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(value.charAt(i - 1)))) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        if (value.length() > 80) {
            b.append('…');
        }
        return b.append('\'').toString();
    }
}
