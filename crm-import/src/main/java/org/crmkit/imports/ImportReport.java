package org.crmkit.imports;

import java.util.List;
import java.util.Objects;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.Rejection;

/**
 * What an import made of its rows: the result built from the valid rows, every rejected row
 * with every failure found in it, and a note for every rule that filled in what the rows did
 * not say (so no value is silently made up).
 *
 * @param <T> the result type
 * @param result what the valid rows make (a list of opportunities or plans, an org structure)
 * @param rows the number of rows read
 * @param rejections the rejected rows, in row order, each naming its line, its opportunity id
 *     when known, and each failed column with its value and what was expected
 * @param notes the rules applied, with how many rows each concerned, e.g.
 *     {@code "12 rows have no date: created at the as-of instant 2017-04-01T00:00:00Z"}
 */
public record ImportReport<T>(T result, int rows, List<Rejection> rejections, List<String> notes) {
    /**
     * Validates and copies the lists.
     *
     * @throws NullPointerException when a value is missing
     */
    public ImportReport {
        Objects.requireNonNull(result, "result");
        rejections = List.copyOf(Objects.requireNonNull(rejections, "rejections"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }

    /**
     * Whether every row was valid.
     *
     * @return true when nothing was rejected
     */
    public boolean allValid() {
        return rejections.isEmpty();
    }

    /**
     * The result, when every row was valid.
     *
     * @return the result
     * @throws BatchValidationException listing every rejected row when any was rejected
     */
    public T requireAllValid() {
        if (!rejections.isEmpty()) {
            throw new BatchValidationException("rows", rows, rejections);
        }
        return result;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(rows).append(" rows, ").append(rejections.size())
                .append(" rejected");
        for (String n : notes) {
            sb.append(System.lineSeparator()).append("  note: ").append(n);
        }
        for (Rejection r : rejections) {
            sb.append(System.lineSeparator()).append("  rejected: ").append(r);
        }
        return sb.toString();
    }
}
