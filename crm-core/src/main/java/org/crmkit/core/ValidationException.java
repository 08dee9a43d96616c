package org.crmkit.core;

import java.util.Objects;

/**
 * Bad input: a value that breaks a rule of the model. The message names the field, the
 * offending value and what was expected; {@link #field()} and {@link #value()} expose them
 * to callers that map errors to a user interface.
 */
public class ValidationException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String expected;

    /**
     * Creates a validation failure.
     *
     * @param field the field that holds the bad value, e.g. {@code "probability"}
     * @param value the bad value (may be null)
     * @param expected what a valid value looks like, e.g. {@code "between 0 and 100"}
     */
    public ValidationException(String field, Object value, String expected) {
        super("invalid " + field + ": " + value + " (expected " + expected + ")");
        this.field = Objects.requireNonNull(field, "field");
        this.value = String.valueOf(value);
        this.expected = String.valueOf(expected);
    }

    /**
     * The name of the field that holds the bad value.
     *
     * @return the field name
     */
    public String field() {
        return field;
    }

    /**
     * The bad value as text.
     *
     * @return the value, {@code "null"} when it was missing
     */
    public String value() {
        return value;
    }

    /**
     * What a valid value looks like.
     *
     * @return the expectation, e.g. {@code "between 0 and 100"}
     */
    public String expected() {
        return expected;
    }

    /**
     * The same failure located inside an enclosing value, e.g. the opportunity at
     * {@code "opportunities[3]"} of an imported dataset: the field becomes
     * {@code "opportunities[3].probability"}, value and expectation stay.
     *
     * @param location where the value that failed sits
     * @return a new exception with the located field
     */
    public ValidationException at(String location) {
        Objects.requireNonNull(location, "location");
        ValidationException located = new ValidationException(location + "." + field, value, expected);
        located.initCause(this);
        return located;
    }

    /**
     * Throws a {@code ValidationException} unless {@code condition} holds.
     *
     * @param condition the rule that must hold
     * @param field the field being checked
     * @param value the value being checked
     * @param expected what a valid value looks like
     * @throws ValidationException when {@code condition} is false
     */
    public static void require(boolean condition, String field, Object value, String expected) {
        if (!condition) {
            throw new ValidationException(field, value, expected);
        }
    }

    /**
     * Returns {@code value} unless it is null.
     *
     * @param <T> the value type
     * @param value the value to check
     * @param field the field being checked
     * @return {@code value}
     * @throws ValidationException when {@code value} is null
     */
    public static <T> T requireNonNull(T value, String field) {
        if (value == null) {
            throw new ValidationException(field, null, "a value");
        }
        return value;
    }

    /**
     * Returns {@code value} unless it is null or blank.
     *
     * @param value the text to check
     * @param field the field being checked
     * @return {@code value}
     * @throws ValidationException when {@code value} is null or blank
     */
    public static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, value == null ? null : "'" + value + "'", "non-blank text");
        }
        return value;
    }
}
