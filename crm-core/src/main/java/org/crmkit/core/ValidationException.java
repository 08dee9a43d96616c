package org.crmkit.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Bad input: a value that breaks a rule of the model. The message names the field, the
 * offending value and what was expected, and, when the value belongs to an opportunity, the
 * opportunity's id; {@link #field()}, {@link #value()}, {@link #expected()} and
 * {@link #opportunityId()} expose them to callers that map errors to a user interface.
 *
 * <p>Every failure raised while an {@link Opportunity} is built or checked against its
 * process names the opportunity (when it has an id), so an error in a batch of thousands
 * points at the one to fix. A batch reports every invalid item at once in a
 * {@link BatchValidationException}.
 */
public class ValidationException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String expected;
    /** The id text of the opportunity the value belongs to, null when none is known. */
    private final String opportunityId;

    /**
     * Creates a validation failure.
     *
     * @param field the field that holds the bad value, e.g. {@code "probability"}
     * @param value the bad value (may be null)
     * @param expected what a valid value looks like, e.g. {@code "between 0 and 100"}
     */
    public ValidationException(String field, Object value, String expected) {
        this(null, Objects.requireNonNull(field, "field"), String.valueOf(value), String.valueOf(expected), null);
    }

    /**
     * Creates a failure with a message of its own (for subclasses that summarise several
     * failures).
     *
     * @param message the message, or null to compose the usual one from the parts
     * @param field the field that holds the bad value
     * @param value the bad value as text
     * @param expected what a valid value looks like
     * @param opportunityId the id text of the opportunity the value belongs to, or null
     */
    protected ValidationException(String message, String field, String value, String expected,
            String opportunityId) {
        super(message != null ? message : compose(field, value, expected, opportunityId));
        this.field = Objects.requireNonNull(field, "field");
        this.value = value;
        this.expected = expected;
        this.opportunityId = opportunityId;
    }

    private static String compose(String field, String value, String expected, String opportunityId) {
        String base = "invalid " + field + ": " + value + " (expected " + expected + ")";
        return opportunityId == null ? base : "opportunity " + opportunityId + ": " + base;
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
     * The opportunity the bad value belongs to.
     *
     * @return its id, empty when the value belongs to no opportunity or the opportunity had
     *     no (valid) id
     */
    public Optional<OpportunityId> opportunityId() {
        return Optional.ofNullable(opportunityId).map(OpportunityId::new);
    }

    /**
     * The same failure naming the opportunity it belongs to; the message becomes
     * {@code "opportunity <id>: invalid ..."}. A failure that already names an opportunity is
     * returned unchanged.
     *
     * @param id the opportunity's id, or null (then this failure is returned)
     * @return the failure naming the opportunity
     */
    public ValidationException forOpportunity(OpportunityId id) {
        if (id == null || opportunityId != null) {
            return this;
        }
        ValidationException named = new ValidationException(null, field, value, expected, id.value());
        named.initCause(this);
        named.setStackTrace(getStackTrace());
        return named;
    }

    /**
     * The same failure located inside an enclosing value, e.g. the opportunity at
     * {@code "opportunities[3]"} of an imported dataset: the field becomes
     * {@code "opportunities[3].probability"}; value, expectation and opportunity stay.
     *
     * @param location where the value that failed sits
     * @return a new exception with the located field
     */
    public ValidationException at(String location) {
        Objects.requireNonNull(location, "location");
        ValidationException located = new ValidationException(null, location + "." + field, value, expected,
                opportunityId);
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
