package org.crmkit.imports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of tabular input: where it is (for messages) and its values by column name.
 *
 * @param line the line number in its source (a CSV file's first data row is line 2), or any
 *     position the caller uses to find the row again
 * @param values the values by column name; a missing column and a blank value both mean "no
 *     value"
 */
public record Row(long line, Map<String, String> values) {
    /**
     * Copies the values, keeping the columns' order.
     *
     * @throws NullPointerException when the values are missing
     */
    public Row {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    /**
     * A row from column names and values in turn: {@code Row.of(2, "id", "D1", "stage", "Won")}.
     *
     * @param line the line number
     * @param columnsAndValues column, value, column, value, ...
     * @return the row
     * @throws IllegalArgumentException when the number of arguments is odd
     */
    public static Row of(long line, String... columnsAndValues) {
        if (columnsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("columns and values come in pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            values.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return new Row(line, values);
    }

    /**
     * The value of a column, trimmed.
     *
     * @param column the column name
     * @return the value, empty when the column is missing or blank
     */
    public Optional<String> get(String column) {
        String v = values.get(column);
        if (v == null) {
            return Optional.empty();
        }
        String t = v.strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
