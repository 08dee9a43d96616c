package org.crmkit.core;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A reporting period: the days from {@code start} (inclusive) to {@code end} (exclusive).
 * Periods other than {@link PeriodType#CUSTOM} come from a {@link FiscalCalendar}, which
 * knows the fiscal year start and names them ({@code "FY2026 Q1"}); a custom range comes
 * from {@link #inclusive(LocalDate, LocalDate)}, which takes its first and last day, so the
 * last day of a quarter passed as the end is counted (an exclusive end given where the last
 * day was meant would silently drop a day).
 *
 * @param type the period type
 * @param start first day, inclusive
 * @param end first day after the period, exclusive
 * @param label display name, e.g. {@code "2026-03"}, {@code "FY2026 Q1"}
 */
public record Period(PeriodType type, LocalDate start, LocalDate end, String label) implements Comparable<Period> {
    /**
     * Validates the period.
     *
     * @throws ValidationException when a value is missing or {@code end} is not after {@code start}
     */
    public Period {
        ValidationException.requireNonNull(type, "period.type");
        ValidationException.requireNonNull(start, "period.start");
        ValidationException.requireNonNull(end, "period.end");
        ValidationException.require(end.isAfter(start), "period.end", end, "a date after the start " + start);
        StoreLimits.requireNonBlank(label, "period.label");
    }

    /**
     * A custom range of whole days, both ends included: {@code inclusive(2026-04-01,
     * 2026-06-30)} is the second quarter of 2026, its last day counted. (The record itself
     * holds the first day after the range as {@code end}.)
     *
     * @param first the first day of the range
     * @param last the last day of the range, not before {@code first}
     * @return the period, labelled {@code "first..last"}
     * @throws ValidationException when a day is missing or {@code last} is before {@code first}
     */
    public static Period inclusive(LocalDate first, LocalDate last) {
        ValidationException.requireNonNull(first, "period.first");
        ValidationException.requireNonNull(last, "period.last");
        ValidationException.require(!last.isBefore(first), "period.last", last, "a day not before the first " + first);
        return new Period(PeriodType.CUSTOM, first, last.plusDays(1), first + ".." + last);
    }

    /**
     * Whether a day falls in the period.
     *
     * @param date the day
     * @return true when {@code start <= date < end}
     */
    public boolean contains(LocalDate date) {
        return !date.isBefore(start) && date.isBefore(end);
    }

    /**
     * The number of days.
     *
     * @return days in the period
     */
    public long days() {
        return ChronoUnit.DAYS.between(start, end);
    }

    /**
     * The last day of the period.
     *
     * @return {@code end - 1 day}
     */
    public LocalDate lastDay() {
        return end.minusDays(1);
    }

    @Override
    public int compareTo(Period o) {
        int c = start.compareTo(o.start);
        return c != 0 ? c : end.compareTo(o.end);
    }

    @Override
    public String toString() {
        return label;
    }
}
