package org.crmkit.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.crmkit.core.ValidationException;

/**
 * Reads typed values out of one row, collecting a failure per bad cell (the column, the value
 * as written, what was expected) instead of stopping at the first, so a row's report lists all
 * of its problems.
 */
final class Cells {
    private final Row row;
    private final ZoneId zone;
    private final DateTimeFormatter dateFormat;
    private final List<ValidationException> failures = new ArrayList<>();

    Cells(Row row, ZoneId zone, DateTimeFormatter dateFormat) {
        this.row = row;
        this.zone = zone;
        this.dateFormat = dateFormat;
    }

    List<ValidationException> failures() {
        return failures;
    }

    void fail(String column, Object value, String expected) {
        failures.add(new ValidationException(column, value, expected));
    }

    /** The text of a mapped column, null when the column is not mapped or the cell is blank. */
    String text(String column) {
        return column == null ? null : row.get(column).orElse(null);
    }

    /** The text of a required column, null (and a failure) when blank. */
    String required(String column, String what) {
        String v = text(column);
        if (v == null) {
            fail(column, null, what);
        }
        return v;
    }

    /**
     * A date: the mapping's pattern when it has one, else ISO-8601 ({@code 2017-10-20}), also
     * taken from a date-time with an offset ({@code 2017-10-20T09:30:00Z}: its day in the zone).
     */
    LocalDate date(String column) {
        String v = text(column);
        if (v == null) {
            return null;
        }
        try {
            if (dateFormat != null) {
                return LocalDate.parse(v, dateFormat);
            }
            if (v.length() > 10) {
                return LocalDate.ofInstant(OffsetDateTime.parse(v).toInstant(), zone);
            }
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            fail(column, v, dateFormat != null ? "a date like " + dateFormat.format(LocalDate.of(2017, 10, 20))
                    : "an ISO date such as 2017-10-20 (or a date-time with an offset)");
            return null;
        }
    }

    /** A plain decimal with a '.' (no thousands separators: "1,054" is refused, not guessed). */
    BigDecimal decimal(String column) {
        String v = text(column);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            fail(column, v, "a decimal number such as 1054.50 (a '.' before the cents, no thousands separators)");
            return null;
        }
    }

    /** A whole number. */
    Integer integer(String column) {
        String v = text(column);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            fail(column, v, "a whole number");
            return null;
        }
    }

    /** The instant a day starts in the mapping's zone. */
    Instant start(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    Optional<String> optional(String column) {
        return Optional.ofNullable(text(column));
    }
}
