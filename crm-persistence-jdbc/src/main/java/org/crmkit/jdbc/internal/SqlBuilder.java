package org.crmkit.jdbc.internal;

import java.sql.ResultSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * SQL text with its parameters, appended in step so the placeholders and the values never
 * drift apart. Values only ever become parameters; the text holds identifiers and constants
 * of the store's own schema.
 */
final class SqlBuilder {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    SqlBuilder sql(String text) {
        sql.append(text);
        return this;
    }

    SqlBuilder param(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    /** {@code column IN (?, ?, ...)} for a non-empty collection. */
    SqlBuilder in(String column, Collection<?> values) {
        sql.append(column).append(" IN (");
        boolean first = true;
        for (Object v : values) {
            if (!first) {
                sql.append(", ");
            }
            param(v);
            first = false;
        }
        sql.append(')');
        return this;
    }

    /**
     * {@code column = ANY(?)} with the values bound as one SQL array: a long list stays one
     * parameter, so the statement text and the planner's work do not grow with it.
     */
    SqlBuilder anyOf(String column, Collection<String> values) {
        sql.append(column).append(" = ANY(");
        param(values.toArray(new String[0]));
        sql.append(')');
        return this;
    }

    /** The exact instant comparison {@code (s, n) < at} over an (epoch second, nano) pair. */
    SqlBuilder before(String prefix, Instant at) {
        return sql("(" + prefix + "_s < ").param(at.getEpochSecond()).sql(" OR (" + prefix + "_s = ")
                .param(at.getEpochSecond()).sql(" AND " + prefix + "_n < ").param(at.getNano()).sql("))");
    }

    /** The exact instant comparison {@code (s, n) >= at}. */
    SqlBuilder notBefore(String prefix, Instant at) {
        return sql("(" + prefix + "_s > ").param(at.getEpochSecond()).sql(" OR (" + prefix + "_s = ")
                .param(at.getEpochSecond()).sql(" AND " + prefix + "_n >= ").param(at.getNano()).sql("))");
    }

    /** The exact instant comparison {@code (s, n) <= at}. */
    SqlBuilder notAfter(String prefix, Instant at) {
        return sql("(" + prefix + "_s < ").param(at.getEpochSecond()).sql(" OR (" + prefix + "_s = ")
                .param(at.getEpochSecond()).sql(" AND " + prefix + "_n <= ").param(at.getNano()).sql("))");
    }

    /** The exact instant comparison {@code (s, n) > at}. */
    SqlBuilder after(String prefix, Instant at) {
        return sql("(" + prefix + "_s > ").param(at.getEpochSecond()).sql(" OR (" + prefix + "_s = ")
                .param(at.getEpochSecond()).sql(" AND " + prefix + "_n > ").param(at.getNano()).sql("))");
    }

    /** Appends the text and the parameters of another builder. */
    SqlBuilder append(SqlBuilder other) {
        sql.append(other.sql);
        params.addAll(other.params);
        return this;
    }

    /** Appends the parameters (not the text) of another builder, whose text was appended already. */
    SqlBuilder params(SqlBuilder other) {
        params.addAll(other.params);
        return this;
    }

    String text() {
        return sql.toString();
    }

    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v instanceof String s) {
                ps.setString(i + 1, s);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof String[] a) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("varchar", a));
            } else if (v instanceof LocalDate d) {
                ps.setObject(i + 1, d);
            } else {
                throw new IllegalArgumentException("unsupported parameter " + v);
            }
        }
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs this statement and hands each row to the reader, {@code fetchSize} rows per round
     * trip (a cursor where the driver needs one, so memory stays bounded).
     */
    void forEachRow(Connection c, int fetchSize, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(text())) {
            ps.setFetchSize(fetchSize);
            bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    /** Applies the dialect's settings for a large grouped read to the connection's transaction. */
    static void aggregationSettings(Connection c, org.crmkit.jdbc.Dialect dialect) throws SQLException {
        for (String setting : dialect.aggregationSettingsSql()) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute(setting);
            }
        }
    }
}
