package org.crmkit.jdbc.internal;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.crmkit.core.ValidationException;

/**
 * Exact decimals in two columns: the value in a {@code NUMERIC(38, 12)} and its scale in an
 * integer, so a value reads back equal by {@link BigDecimal#equals} (100.50 stays 100.50).
 */
public final class Decimals {
    /** The fraction digits the value column keeps. */
    public static final int MAX_SCALE = 12;
    /** The digits before the point the value column keeps. */
    public static final int MAX_INTEGER_DIGITS = 38 - MAX_SCALE;

    private Decimals() {
    }

    /**
     * Checks that a value fits the columns exactly.
     *
     * @param value the value, may be null
     * @param field the field name for the error
     * @return the value
     * @throws ValidationException when the value has more than 12 significant fraction digits
     *     or more than 26 integer digits
     */
    public static BigDecimal requireStorable(BigDecimal value, String field) {
        if (value != null) {
            BigDecimal stripped = value.stripTrailingZeros();
            ValidationException.require(stripped.scale() <= MAX_SCALE
                    && stripped.precision() - stripped.scale() <= MAX_INTEGER_DIGITS, field, value,
                    "at most " + MAX_INTEGER_DIGITS + " integer and " + MAX_SCALE + " fraction digits");
            ValidationException.require(value.scale() >= Short.MIN_VALUE && value.scale() <= Short.MAX_VALUE, field,
                    value, "a scale that fits 16 bits");
        }
        return value;
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
            requireStorable(value, field);
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
}
