package org.crmkit.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;

/**
 * A change of an opportunity's tracked fields made at one instant by one manager:
 * {@code opp.edit(at, by).amount(x).expectedCloseDate(d).apply()}. {@link #apply()} returns the
 * changed opportunity with one {@link FieldChange} appended per field whose value differs;
 * setting a field to its current value records nothing. Not thread-safe; use once.
 */
public final class OpportunityEdit {
    private final Opportunity base;
    private final Instant at;
    private final ManagerId by;
    private final Object[] values = new Object[TrackedField.values().length];
    private final boolean[] set = new boolean[values.length];

    OpportunityEdit(Opportunity base, Instant at, ManagerId by) {
        this.base = Objects.requireNonNull(base, "opportunity");
        this.at = StoreLimits.requireInstant(ValidationException.requireNonNull(at, "change.at"), "change.at");
        this.by = ValidationException.requireNonNull(by, "change.by");
    }

    private OpportunityEdit put(TrackedField field, Object value) {
        values[field.ordinal()] = value;
        set[field.ordinal()] = true;
        return this;
    }

    /**
     * Sets the amount, in the opportunity's currency.
     *
     * @param value the amount, or null to clear it
     * @return this edit
     */
    public OpportunityEdit amount(MonetaryAmount value) {
        return put(TrackedField.AMOUNT, value);
    }

    /**
     * Sets the budget, in the opportunity's currency.
     *
     * @param value the budget, or null to clear it
     * @return this edit
     */
    public OpportunityEdit budget(MonetaryAmount value) {
        return put(TrackedField.BUDGET, value);
    }

    /**
     * Changes the currency, with the amount and budget in it: the three change together.
     *
     * @param value the new currency
     * @param newAmount the amount in it, or null when none
     * @param newBudget the budget in it, or null when none
     * @return this edit
     */
    public OpportunityEdit currency(CurrencyUnit value, MonetaryAmount newAmount, MonetaryAmount newBudget) {
        put(TrackedField.CURRENCY, ValidationException.requireNonNull(value, "currency"));
        put(TrackedField.AMOUNT, newAmount);
        return put(TrackedField.BUDGET, newBudget);
    }

    /**
     * Moves the expected close date: later is a push, earlier a pull.
     *
     * @param value the new date
     * @return this edit
     */
    public OpportunityEdit expectedCloseDate(LocalDate value) {
        return put(TrackedField.EXPECTED_CLOSE_DATE, ValidationException.requireNonNull(value, "expectedCloseDate"));
    }

    /**
     * Sets the probability by hand.
     *
     * @param value percent, 0 to 100
     * @return this edit
     */
    public OpportunityEdit probability(int value) {
        return put(TrackedField.PROBABILITY, value);
    }

    /**
     * Sets the forecast category by hand, or clears it so the thresholds decide.
     *
     * @param value the category, or null
     * @return this edit
     */
    public OpportunityEdit forecastCategory(ForecastCategory value) {
        return put(TrackedField.FORECAST_CATEGORY, value);
    }

    /**
     * Hands the deal to another manager.
     *
     * @param value the new owner
     * @return this edit
     */
    public OpportunityEdit owner(ManagerId value) {
        return put(TrackedField.OWNER, ValidationException.requireNonNull(value, "owner"));
    }

    /**
     * The changes this edit records: one per field set to a value other than the current one,
     * in {@link TrackedField} order (the currency before nothing else depends on it: amounts
     * carry their own currency).
     *
     * @return the changes, possibly none
     */
    public List<FieldChange> changes() {
        List<FieldChange> out = new ArrayList<>();
        for (TrackedField f : TrackedField.values()) {
            if (set[f.ordinal()]) {
                Object now = f.valueOn(base);
                if (!FieldChange.same(now, values[f.ordinal()])) {
                    out.add(FieldChange.of(f, now, values[f.ordinal()], at, by));
                }
            }
        }
        return out;
    }

    /**
     * The opportunity with the new values and their changes recorded.
     *
     * @return the changed opportunity, or the same one when nothing differs
     * @throws ValidationException naming the field, the value and the opportunity id when a
     *     value breaks a rule, or the instant is before the last change (changes are kept in
     *     time order; a change may be recorded between past stage transitions, e.g. when a
     *     history is imported)
     */
    public Opportunity apply() {
        List<FieldChange> recorded = changes();
        if (recorded.isEmpty()) {
            return base;
        }
        if (!base.changes().isEmpty() && at.isBefore(base.changes().get(base.changes().size() - 1).at())) {
            throw new ValidationException("change.at", at, "not before the last change "
                    + base.changes().get(base.changes().size() - 1).at()).forOpportunity(base.id());
        }
        Opportunity.Builder b = base.toBuilder();
        for (FieldChange c : recorded) {
            Object v = values[c.field().ordinal()];
            switch (c.field()) {
                case AMOUNT -> b.amount((MonetaryAmount) v);
                case BUDGET -> b.budget((MonetaryAmount) v);
                case CURRENCY -> b.currency((CurrencyUnit) v);
                case EXPECTED_CLOSE_DATE -> b.expectedCloseDate((LocalDate) v);
                case PROBABILITY -> b.probability((Integer) v);
                case FORECAST_CATEGORY -> b.forecastCategory((ForecastCategory) v);
                case OWNER -> b.owner((ManagerId) v);
                default -> throw new IllegalStateException(c.field().name());
            }
            b.addChange(c);
        }
        return b.build();
    }
}
