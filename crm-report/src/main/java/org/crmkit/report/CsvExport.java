package org.crmkit.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;

/**
 * Writes any result of the funnel and forecast engines — a result record, a list of them, or a
 * map of node to result such as {@code FunnelEngine.funnels} — as CSV (RFC 4180: comma
 * separated, CRLF line ends, a field quoted when it holds a comma, a quote, a line break or
 * surrounding blanks, quotes doubled).
 *
 * <p>The table follows the record's own components, so a column is named like the accessor
 * it comes from: scalar components are columns ({@code winRate}); a nested record's are
 * prefixed ({@code cycle.meanDays}); a list of records becomes one row per element, the
 * parent's scalars repeated in front and {@code part} naming the list ({@code stages}); a list
 * of plain values (owners) is one field joined with {@code ;}. Ids and org nodes are written
 * by their key, periods by their label, amounts exactly ({@link BigDecimal#toPlainString()}),
 * ratios as Java writes a double. Nothing is rounded.
 */
public final class CsvExport {
    private CsvExport() {
    }

    /**
     * A result as a table: the header, then the rows, every row as long as the header.
     *
     * @param result a record, a collection of records, or a map whose values are records
     * @return the header and rows
     * @throws IllegalArgumentException when the result is not a record or a collection/map of records
     */
    public static List<List<String>> table(Object result) {
        Objects.requireNonNull(result, "result");
        List<Map<String, String>> rows = new ArrayList<>();
        if (result instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                for (Map<String, String> r : flatten(requireRecord(e.getValue()), "")) {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("key", scalar(e.getKey()));
                    row.putAll(r);
                    rows.add(row);
                }
            }
        } else if (result instanceof Collection<?> list) {
            for (Object o : list) {
                rows.addAll(flatten(requireRecord(o), ""));
            }
        } else {
            rows.addAll(flatten(requireRecord(result), ""));
        }
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        List<List<String>> out = new ArrayList<>();
        out.add(List.copyOf(columns));
        for (Map<String, String> r : rows) {
            List<String> line = new ArrayList<>(columns.size());
            for (String c : columns) {
                line.add(r.getOrDefault(c, ""));
            }
            out.add(line);
        }
        return out;
    }

    /**
     * A result as CSV text.
     *
     * @param result a record, a collection of records, or a map whose values are records
     * @return the CSV
     * @throws IllegalArgumentException when the result is not a record or a collection/map of records
     */
    public static String toCsv(Object result) {
        StringBuilder sb = new StringBuilder();
        write(result, sb);
        return sb.toString();
    }

    /**
     * Writes a result as CSV.
     *
     * @param result a record, a collection of records, or a map whose values are records
     * @param out where to write
     * @throws UncheckedIOException when writing fails
     * @throws IllegalArgumentException when the result is not a record or a collection/map of records
     */
    public static void write(Object result, Appendable out) {
        try {
            for (List<String> line : table(result)) {
                for (int i = 0; i < line.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append(quote(line.get(i)));
                }
                out.append("\r\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing CSV", e);
        }
    }

    /**
     * Writes every section of a sales report as its own file ({@code departments.csv},
     * {@code plans.csv}, {@code timing.csv}, ...: one per component of {@link SalesReport}
     * that holds results), creating the directory.
     *
     * @param report the report
     * @param dir the directory
     * @return the files written, in component order
     * @throws UncheckedIOException when a file cannot be written
     */
    public static List<Path> writeAll(SalesReport report, Path dir) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (RecordComponent c : SalesReport.class.getRecordComponents()) {
                Object v = value(c, report);
                boolean results = v instanceof Record || v instanceof Collection<?> l && !l.isEmpty()
                        && l.iterator().next() instanceof Record;
                if (!results) {
                    continue;
                }
                Path file = dir.resolve(c.getName() + ".csv");
                Files.writeString(file, toCsv(v), StandardCharsets.UTF_8);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing CSV files to " + dir, e);
        }
        return written;
    }

    /**
     * Quotes one field as RFC 4180 asks.
     *
     * @param field the field, may be empty
     * @return the field, quoted when needed
     */
    public static String quote(String field) {
        boolean needs = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || !field.isEmpty() && (Character.isWhitespace(field.charAt(0))
                        || Character.isWhitespace(field.charAt(field.length() - 1)));
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static Record requireRecord(Object o) {
        if (o instanceof Record r) {
            return r;
        }
        throw new IllegalArgumentException("not a result record: " + (o == null ? "null" : o.getClass().getName()));
    }

    private static List<Map<String, String>> flatten(Record r, String prefix) {
        Map<String, String> base = new LinkedHashMap<>();
        List<Map<String, String>> children = new ArrayList<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = value(c, r);
            String name = prefix + c.getName();
            if (isScalar(v)) {
                base.put(name, scalar(v));
            } else if (v instanceof Record nested) {
                List<Map<String, String>> sub = flatten(nested, name + ".");
                if (sub.size() == 1 && !sub.get(0).containsKey("part")) {
                    base.putAll(sub.get(0));
                } else {
                    children.addAll(sub);
                }
            } else if (v instanceof Collection<?> list) {
                if (list.stream().allMatch(CsvExport::isScalar)) {
                    List<String> parts = new ArrayList<>();
                    list.forEach(x -> parts.add(scalar(x)));
                    base.put(name, String.join(";", parts));
                } else {
                    for (Object e : list) {
                        for (Map<String, String> row : flatten(requireRecord(e), name + ".")) {
                            Map<String, String> withPart = new LinkedHashMap<>();
                            withPart.put("part", row.getOrDefault("part", name));
                            row.remove("part");
                            withPart.putAll(row);
                            children.add(withPart);
                        }
                    }
                }
            } else if (v instanceof Map<?, ?> map) {
                List<String> parts = new ArrayList<>();
                map.forEach((k, x) -> parts.add(scalar(k) + "=" + (isScalar(x) ? scalar(x) : String.valueOf(x))));
                base.put(name, String.join(";", parts));
            } else {
                base.put(name, String.valueOf(v));
            }
        }
        if (children.isEmpty()) {
            return List.of(base);
        }
        List<Map<String, String>> out = new ArrayList<>(children.size());
        for (Map<String, String> child : children) {
            Map<String, String> row = new LinkedHashMap<>();
            if (child.containsKey("part")) {
                row.put("part", child.get("part"));
            }
            row.putAll(base);
            row.putAll(child);
            out.add(row);
        }
        return out;
    }

    private static Object value(RecordComponent c, Object r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("reading " + c.getName() + " of " + r.getClass().getName(), e);
        }
    }

    private static boolean isScalar(Object v) {
        if (v == null || v instanceof CharSequence || v instanceof Number || v instanceof Boolean
                || v instanceof Enum<?> || v instanceof Character || v instanceof TemporalAccessor
                || v instanceof Period || v instanceof OrgNodeId || v instanceof CurrencyUnit
                || v instanceof MonetaryAmount) {
            return true;
        }
        // the core's single-value ids (OpportunityId, ProcessId, ...)
        return v instanceof Record r && r.getClass().getRecordComponents().length == 1
                && r.getClass().getRecordComponents()[0].getName().equals("value")
                && r.getClass().getPackageName().startsWith("org.crmkit.core");
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof OrgNodeId n) {
            return n.key();
        }
        if (v instanceof CurrencyUnit u) {
            return u.getCurrencyCode();
        }
        if (v instanceof MonetaryAmount m) {
            return m.getCurrency().getCurrencyCode() + " " + m.getNumber().numberValue(BigDecimal.class).toPlainString();
        }
        if (v instanceof Record r) {
            return String.valueOf(value(r.getClass().getRecordComponents()[0], r));
        }
        return v.toString();
    }
}
