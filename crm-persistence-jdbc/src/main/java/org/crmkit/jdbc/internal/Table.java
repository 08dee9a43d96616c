package org.crmkit.jdbc.internal;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table the store writes: its name and typed columns, the INSERT and COPY statements
 * derived from them, and how a row ({@code Object[]} in column order) is bound. Values are
 * only ever bound as parameters (or streamed to COPY as data), never spliced into SQL.
 */
public final class Table {
    private final String name;
    private final List<String> columns;
    private final int[] types;

    private Table(String name, List<String> columns, int[] types) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.types = types.clone();
    }

    /**
     * Describes a table from alternating column names and {@link Types} codes.
     *
     * @param name the table name
     * @param spec {@code "column", Types.X, "column", Types.Y, ...}
     * @return the table
     */
    public static Table of(String name, Object... spec) {
        List<String> cols = new ArrayList<>();
        int[] types = new int[spec.length / 2];
        for (int i = 0; i < spec.length; i += 2) {
            cols.add((String) spec[i]);
            types[i / 2] = (Integer) spec[i + 1];
        }
        return new Table(name, cols, types);
    }

    /**
     * The table name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The column names in row order.
     *
     * @return the columns
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * The INSERT statement for one row.
     *
     * @return the SQL text
     */
    public String insertSql() {
        return "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /**
     * The PostgreSQL COPY statement reading CSV from the client.
     *
     * @return the SQL text
     */
    public String copySql() {
        return "COPY " + name + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /**
     * Binds a row to parameters {@code offset + 1 ...}.
     *
     * @param ps the statement
     * @param offset parameters before the row
     * @param row the values in column order
     * @param from first column to bind
     * @throws SQLException on a driver error
     */
    public void bind(PreparedStatement ps, int offset, Object[] row, int from) throws SQLException {
        for (int i = from; i < row.length; i++) {
            int p = offset + i - from + 1;
            Object v = row[i];
            if (v == null) {
                ps.setNull(p, types[i]);
            } else if (v instanceof String s) {
                ps.setString(p, s);
            } else if (v instanceof Long l) {
                ps.setLong(p, l);
            } else if (v instanceof Integer n) {
                ps.setInt(p, n);
            } else if (v instanceof BigDecimal d) {
                ps.setBigDecimal(p, d);
            } else if (v instanceof Boolean b) {
                ps.setBoolean(p, b);
            } else if (v instanceof LocalDate d) {
                ps.setObject(p, d);
            } else {
                throw new IllegalArgumentException("unsupported column value " + v.getClass());
            }
        }
    }
}
