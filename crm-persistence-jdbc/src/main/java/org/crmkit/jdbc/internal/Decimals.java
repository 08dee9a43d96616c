package org.crmkit.jdbc.internal;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Exact decimals in two columns: the value in a {@code NUMERIC(38, 12)} (text on SQLite) and
 * its scale in an integer, so a value reads back equal by {@link BigDecimal#equals} (100.50
 * stays 100.50). The model admits only values these columns keep
 * ({@link org.crmkit.core.StoreLimits}), so nothing is checked here.
 */
public final class Decimals {
    private Decimals() {
    }

    /**
     * Binds a value and its scale to two consecutive parameters.
     *
     * @param ps the statement
     * @param index the value parameter; the scale goes to {@code index + 1}
     * @param value the value, may be null
     * @param field the field name for errors
     * @throws SQLException on a driver error
     */
    public static void bind(PreparedStatement ps, int index, BigDecimal value, String field) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NUMERIC);
            ps.setNull(index + 1, Types.INTEGER);
        } else {
            ps.setBigDecimal(index, value.stripTrailingZeros());
            ps.setInt(index + 1, value.scale());
        }
    }

    /**
     * Reads a value stored by {@link #bind}.
     *
     * @param rs the result set
     * @param valueColumn the value column
     * @param scaleColumn the scale column
     * @return the value at its stored scale, or null
     * @throws SQLException on a driver error
     */
    public static BigDecimal read(ResultSet rs, String valueColumn, String scaleColumn) throws SQLException {
        BigDecimal v = rs.getBigDecimal(valueColumn);
        if (v == null) {
            return null;
        }
        // exact: the stored value has at most the original scale's significant digits
        return v.setScale(rs.getInt(scaleColumn));
    }

    /**
     * Reads a value stored by {@link #bind}, by column position (a stream reads millions of
     * rows, and a label costs a look-up per value).
     *
     * @param rs the result set
     * @param valueColumn the value column's position; its scale is in the next one
     * @return the value at its stored scale, or null
     * @throws SQLException on a driver error
     */
    public static BigDecimal read(ResultSet rs, int valueColumn) throws SQLException {
        BigDecimal v = rs.getBigDecimal(valueColumn);
        if (v == null) {
            return null;
        }
        return v.setScale(rs.getInt(valueColumn + 1));
    }
}
