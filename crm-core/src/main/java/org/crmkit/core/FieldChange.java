package org.crmkit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;

/**
 * One change of a {@link TrackedField} of an opportunity, kept forever: what changed, the value
 * before and after (as {@link TrackedField#encode} writes them), when and by whom. An
 * opportunity's {@link Opportunity#changes()} (which never hold a {@link TrackedField#STAGE}
 * change: those are its transitions, see {@link Opportunity#fieldHistory()}) are in time order and chain per field (each
 * change starts from the value the previous one of the same field ended with, and the last
 * ends with the current value), so {@link Opportunity#asOf} can undo them exactly.
 *
 * @param field the field
 * @param from the value before, or null when it was not set
 * @param to the value after, or null when it is no longer set
 * @param at when the change happened
 * @param by the manager who made it
 */
public record FieldChange(TrackedField field, String from, String to, Instant at, ManagerId by) {
    /**
     * Validates the change: both values read as values of the field, and they differ.
     *
     * @throws ValidationException naming the part that breaks a rule
     */
    public FieldChange {
        ValidationException.requireNonNull(field, "change.field");
        StoreLimits.requireInstant(ValidationException.requireNonNull(at, "change.at"), "change.at");
        ValidationException.requireNonNull(by, "change.by");
        if (field == TrackedField.HISTORY_START) {
            ValidationException.require(from == null && to == null, "change.to", to,
                    "no values on a HISTORY_START event");
        } else {
            Object before = field.decode(from, "change.from");
            Object after = field.decode(to, "change.to");
            ValidationException.require(!same(before, after), "change.to", to,
                    "a value other than the one before (" + from + ")");
        }
    }

    /**
     * A change from one value to another, each of the field's type.
     *
     * @param field the field
     * @param from the value before, or null
     * @param to the value after, or null
     * @param at when
     * @param by by whom
     * @return the change
     */
    public static FieldChange of(TrackedField field, Object from, Object to, Instant at, ManagerId by) {
        return new FieldChange(field, field.encode(from), field.encode(to), at, by);
    }

    /**
     * The event that marks where an opportunity's field history begins (see
     * {@link TrackedField#HISTORY_START}).
     *
     * @param at from when the history is complete
     * @param by who is recorded for it (the owner at that instant, by convention)
     * @return the event
     */
    public static FieldChange historyStart(Instant at, ManagerId by) {
        return new FieldChange(TrackedField.HISTORY_START, null, null, at, by);
    }

    /**
     * The value before, of the field's type.
     *
     * @return the value, empty when it was not set
     */
    public Optional<Object> fromValue() {
        return field == TrackedField.HISTORY_START ? Optional.empty()
                : Optional.ofNullable(field.decode(from, "change.from"));
    }

    /**
     * The value after, of the field's type.
     *
     * @return the value, empty when it is no longer set
     */
    public Optional<Object> toValue() {
        return field == TrackedField.HISTORY_START ? Optional.empty()
                : Optional.ofNullable(field.decode(to, "change.to"));
    }

    /**
     * Whether two values of a field are the same value: amounts by currency and numeric value
     * (1250.0 and 1250.00 are the same amount), everything else by equality.
     *
     * @param a a value or null
     * @param b a value or null
     * @return true when they are the same
     */
    static boolean same(Object a, Object b) {
        if (a instanceof MonetaryAmount x && b instanceof MonetaryAmount y) {
            return x.getCurrency().equals(y.getCurrency()) && Amounts.decimal(x).compareTo(Amounts.decimal(y)) == 0;
        }
        return Objects.equals(a, b);
    }
}
