package org.crmkit.core;

import java.util.Objects;

/**
 * An exact sum left the range crmkit computes in: a figure (an amount sum, an expected value,
 * a count) would exceed a signed 64-bit number of minor units. crmkit never wraps or rounds
 * such a figure; it reports it by name instead, so a result is exact or absent, never silently
 * wrong. The model bounds each single amount ({@link StoreLimits#MAX_AMOUNT_MINOR}), so this
 * arises only from sums of very many large amounts.
 */
public class AmountOverflowException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String figure;

    /**
     * Creates the failure.
     *
     * @param figure the figure whose exact value left the range, e.g.
     *     {@code "weighted amount (EUR)"}
     * @param cause the arithmetic failure, or null
     */
    public AmountOverflowException(String figure, Throwable cause) {
        super("the exact " + Objects.requireNonNull(figure, "figure")
                + " exceeds the range of 64-bit minor units (about 9.2e18); split the query", cause);
        this.figure = figure;
    }

    /**
     * The figure that overflowed.
     *
     * @return its name, e.g. {@code "amount (EUR)"}
     */
    public String figure() {
        return figure;
    }

    /**
     * {@code a + b}, exactly.
     *
     * @param a a summand
     * @param b a summand
     * @param figure the figure being summed, named in the failure
     * @return the exact sum
     * @throws AmountOverflowException when the sum leaves the {@code long} range
     */
    public static long add(long a, long b, String figure) {
        long r = a + b;
        // Math.addExact's test, without allocating its exception on the hot path
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new AmountOverflowException(figure, null);
        }
        return r;
    }

    /**
     * {@code a * b}, exactly.
     *
     * @param a a factor
     * @param b a factor
     * @param figure the figure being computed, named in the failure
     * @return the exact product
     * @throws AmountOverflowException when the product leaves the {@code long} range
     */
    public static long multiply(long a, long b, String figure) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new AmountOverflowException(figure, e);
        }
    }

    /**
     * {@code a + b}, exactly, for a figure kept per currency (or another qualifier). The failure
     * names {@code "figure (qualifier)"}, built only when the sum overflows: on a per-cell loop a
     * name concatenated for every call costs more than the sum.
     *
     * @param a a summand
     * @param b a summand
     * @param figure the figure being summed, e.g. {@code "weighted amount"}
     * @param qualifier what the figure is kept per, e.g. its currency
     * @return the exact sum
     * @throws AmountOverflowException when the sum leaves the {@code long} range
     */
    public static long add(long a, long b, String figure, Object qualifier) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new AmountOverflowException(figure + " (" + qualifier + ")", null);
        }
        return r;
    }

    /**
     * {@code a * b}, exactly, for a figure kept per currency (or another qualifier), named as
     * {@link #add(long, long, String, Object)} names it, only on failure.
     *
     * @param a a factor
     * @param b a factor
     * @param figure the figure being computed, e.g. {@code "weighted amount"}
     * @param qualifier what the figure is kept per, e.g. its currency
     * @return the exact product
     * @throws AmountOverflowException when the product leaves the {@code long} range
     */
    public static long multiply(long a, long b, String figure, Object qualifier) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new AmountOverflowException(figure + " (" + qualifier + ")", e);
        }
    }
}
