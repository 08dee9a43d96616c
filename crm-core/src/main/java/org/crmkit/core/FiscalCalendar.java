package org.crmkit.core;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts time into reporting periods: months, fiscal quarters, half-years and years starting
 * at a configurable month, in an explicit time zone (an instant such as a creation time is
 * placed in a period by its date in this zone).
 *
 * <p>Fiscal years are named as Salesforce does by default: by the calendar year in which
 * they <em>end</em> ({@link Naming#END_YEAR}); with a fiscal year starting in April 2026,
 * the year is {@code FY2027} and its first quarter {@code FY2027 Q1}. {@link Naming#START_YEAR}
 * names it {@code FY2026}. With a January start both give the calendar year.
 *
 * @param fiscalYearStart the first month of the fiscal year
 * @param zone the time zone of the tenant
 * @param naming how fiscal years are named
 */
public record FiscalCalendar(Month fiscalYearStart, ZoneId zone, Naming naming) {
    /** How a fiscal year is named. */
    public enum Naming {
        /** By the calendar year in which the fiscal year starts. */
        START_YEAR,
        /** By the calendar year in which the fiscal year ends (Salesforce's default). */
        END_YEAR
    }

    /**
     * Validates the calendar.
     *
     * @throws ValidationException when a value is missing
     */
    public FiscalCalendar {
        ValidationException.requireNonNull(fiscalYearStart, "fiscalYearStart");
        ValidationException.requireNonNull(zone, "zone");
        ValidationException.requireNonNull(naming, "naming");
    }

    /**
     * The calendar year in a zone: fiscal year starting in January.
     *
     * @param zone the time zone
     * @return the calendar
     */
    public static FiscalCalendar calendarYear(ZoneId zone) {
        return new FiscalCalendar(Month.JANUARY, zone, Naming.END_YEAR);
    }

    /**
     * A fiscal calendar named by end year.
     *
     * @param fiscalYearStart first month of the fiscal year
     * @param zone the time zone
     * @return the calendar
     */
    public static FiscalCalendar of(Month fiscalYearStart, ZoneId zone) {
        return new FiscalCalendar(fiscalYearStart, zone, Naming.END_YEAR);
    }

    /**
     * Today in this calendar's zone.
     *
     * @param clock the clock
     * @return the date
     */
    public LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /**
     * The date of an instant in this calendar's zone.
     *
     * @param instant the instant
     * @return the local date
     */
    public LocalDate dateOf(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }

    /**
     * The period of a type that contains a day.
     *
     * @param type any type but {@link PeriodType#CUSTOM}
     * @param date the day
     * @return the period
     * @throws ValidationException for {@link PeriodType#CUSTOM}
     */
    public Period periodOf(PeriodType type, LocalDate date) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(date, "date");
        ValidationException.require(type != PeriodType.CUSTOM, "type", type, "MONTH, QUARTER, HALF_YEAR or YEAR");
        LocalDate fyStart = fiscalYearStartOf(date);
        long monthsIn = ChronoUnit.MONTHS.between(fyStart, date.withDayOfMonth(1));
        int len = type.months();
        LocalDate start = fyStart.plusMonths(monthsIn / len * len);
        LocalDate end = start.plusMonths(len);
        return new Period(type, start, end, label(type, start, fyStart, (int) (monthsIn / len) + 1));
    }

    /**
     * The period of a type that contains an instant (by its date in this zone).
     *
     * @param type any type but {@link PeriodType#CUSTOM}
     * @param instant the instant
     * @return the period
     */
    public Period periodOf(PeriodType type, Instant instant) {
        return periodOf(type, dateOf(instant));
    }

    /**
     * The period after a period of the same type.
     *
     * @param period a non-custom period
     * @return the next period
     */
    public Period next(Period period) {
        return periodOf(period.type(), period.end());
    }

    /**
     * The period before a period of the same type.
     *
     * @param period a non-custom period
     * @return the previous period
     */
    public Period previous(Period period) {
        return periodOf(period.type(), period.start().minusDays(1));
    }

    /**
     * The consecutive periods of a type that cover a date range.
     *
     * @param type any type but {@link PeriodType#CUSTOM}
     * @param from first day to cover
     * @param toInclusive last day to cover
     * @return the periods, in order
     * @throws ValidationException when {@code toInclusive} is before {@code from}
     */
    public List<Period> periods(PeriodType type, LocalDate from, LocalDate toInclusive) {
        ValidationException.require(!toInclusive.isBefore(from), "to", toInclusive, "a date not before " + from);
        List<Period> out = new ArrayList<>();
        Period p = periodOf(type, from);
        while (!p.start().isAfter(toInclusive)) {
            out.add(p);
            p = periodOf(type, p.end());
        }
        return out;
    }

    /**
     * The first day of the fiscal year containing a day.
     *
     * @param date the day
     * @return the first day of its fiscal year
     */
    public LocalDate fiscalYearStartOf(LocalDate date) {
        LocalDate candidate = LocalDate.of(date.getYear(), fiscalYearStart, 1);
        return candidate.isAfter(date) ? candidate.minusYears(1) : candidate;
    }

    private String label(PeriodType type, LocalDate start, LocalDate fyStart, int number) {
        int fy = naming == Naming.START_YEAR || fiscalYearStart == Month.JANUARY
                ? fyStart.getYear() : fyStart.getYear() + 1;
        return switch (type) {
            case MONTH -> String.format("%d-%02d", start.getYear(), start.getMonthValue());
            case QUARTER -> "FY" + fy + " Q" + number;
            case HALF_YEAR -> "FY" + fy + " H" + number;
            case YEAR -> "FY" + fy;
            case CUSTOM -> throw new IllegalStateException("custom periods are not labelled by the calendar");
        };
    }
}
