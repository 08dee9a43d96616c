package org.crmkit.testkit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.TrackedField;
import org.crmkit.core.money.Amounts;

/**
 * Seeded random field histories for tests and benchmarks: amount up and down (and cleared or set
 * where none was), budget, pushes and pulls of the expected close date, probability and
 * category changes, and hand-overs between owners, at random instants between creation and a
 * given end (several at one instant now and then). Deterministic per seed. The currency never
 * changes (product lines are priced in it).
 */
public final class FieldHistories {
    private static final TrackedField[] FIELDS = {TrackedField.AMOUNT, TrackedField.AMOUNT, TrackedField.BUDGET,
        TrackedField.EXPECTED_CLOSE_DATE, TrackedField.EXPECTED_CLOSE_DATE, TrackedField.PROBABILITY,
        TrackedField.FORECAST_CATEGORY, TrackedField.OWNER};

    private FieldHistories() {
    }

    /**
     * The opportunity with up to {@code maxChanges} random changes recorded after its existing
     * ones, ending at its current values replaced by the last change of each field.
     *
     * @param opp the opportunity (its changes, if any, are kept and continued)
     * @param r the random source (seeded by the caller)
     * @param until the latest instant of a change (clamped to not before the last one)
     * @param maxChanges at most this many new changes
     * @param owners the managers a hand-over may go to
     * @return the opportunity with the history
     */
    public static Opportunity withRandomChanges(Opportunity opp, Random r, Instant until, int maxChanges,
            List<ManagerId> owners) {
        return withRandomChanges(opp, r, opp.createdAt(), until, maxChanges, owners);
    }

    /**
     * The opportunity with up to {@code maxChanges} random changes at instants from
     * {@code earliest} (or its last change, if later) to {@code until}.
     *
     * @param opp the opportunity (its changes, if any, are kept and continued)
     * @param r the random source (seeded by the caller)
     * @param earliest the earliest instant of a new change
     * @param until the latest instant of a change (clamped to not before the earliest)
     * @param maxChanges at most this many new changes
     * @param owners the managers a hand-over may go to
     * @return the opportunity with the history
     */
    public static Opportunity withRandomChanges(Opportunity opp, Random r, Instant earliest, Instant until,
            int maxChanges, List<ManagerId> owners) {
        Objects.requireNonNull(opp, "opp");
        int n = r.nextInt(maxChanges + 1);
        if (n == 0) {
            return opp;
        }
        Instant from = opp.changes().isEmpty() ? earliest : opp.changes().get(opp.changes().size() - 1).at();
        if (from.isBefore(earliest)) {
            from = earliest;
        }
        long span = Math.max(0, until.getEpochSecond() - from.getEpochSecond());
        List<Instant> ats = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ats.add(span == 0 ? from : from.plusSeconds((long) (r.nextDouble() * span)));
        }
        ats.sort(null);
        for (int i = 1; i < n; i++) {
            if (r.nextInt(6) == 0) {
                ats.set(i, ats.get(i - 1)); // several changes at one instant
            }
        }
        LocalDate firstDay = LocalDate.ofInstant(opp.createdAt(), ZoneOffset.UTC);
        Opportunity current = opp;
        for (Instant at : ats) {
            TrackedField f = FIELDS[r.nextInt(FIELDS.length)];
            Object now = f.valueOn(current);
            Object next = switch (f) {
                case AMOUNT, BUDGET -> now == null || r.nextInt(10) != 0
                        ? Amounts.fromMinorUnits(r.nextInt(10_000_000), current.currency()) : null;
                case EXPECTED_CLOSE_DATE -> {
                    LocalDate d = ((LocalDate) now).plusDays(r.nextInt(181) - 60);
                    yield d.isBefore(firstDay) ? firstDay : d;
                }
                case PROBABILITY -> r.nextInt(101);
                case FORECAST_CATEGORY -> r.nextInt(4) == 0 ? null
                        : ForecastCategory.values()[r.nextInt(ForecastCategory.values().length)];
                case OWNER -> owners.get(r.nextInt(owners.size()));
                default -> throw new IllegalStateException(f.name());
            };
            ManagerId by = r.nextBoolean() ? current.owner() : owners.get(r.nextInt(owners.size()));
            current = apply(current, f, next, at, by);
        }
        return current;
    }

    private static Opportunity apply(Opportunity opp, TrackedField f, Object value, Instant at, ManagerId by) {
        var edit = opp.edit(at, by);
        switch (f) {
            case AMOUNT -> edit.amount((javax.money.MonetaryAmount) value);
            case BUDGET -> edit.budget((javax.money.MonetaryAmount) value);
            case EXPECTED_CLOSE_DATE -> edit.expectedCloseDate((LocalDate) value);
            case PROBABILITY -> edit.probability((Integer) value);
            case FORECAST_CATEGORY -> edit.forecastCategory((ForecastCategory) value);
            case OWNER -> edit.owner((ManagerId) value);
            default -> throw new IllegalStateException(f.name());
        }
        return edit.apply();
    }
}
