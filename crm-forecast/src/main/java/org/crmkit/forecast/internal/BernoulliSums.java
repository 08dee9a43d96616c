package org.crmkit.forecast.internal;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Percentiles of a sum of independent Bernoulli(p) × amount terms, on long minor units:
 * exactly, by enumerating every distinct sum (a convolution on sorted arrays, merging equal
 * sums, so many equal amounts stay cheap), or by seeded Monte Carlo when the exact work
 * would exceed a limit.
 *
 * <p>Monte Carlo trial {@code t} draws from its own SplitMix64 stream seeded from
 * ({@code seed}, {@code t}), so the result does not depend on how trials are spread over
 * threads; each 64-bit draw gives two 32-bit uniforms. A success is
 * {@code u < ceil(bp · 2^32 / 10000)} for a uniform 32-bit {@code u}, whose probability differs
 * from {@code bp / 10000} by less than 2^-32.
 *
 * <p>Before enumerating, the work is bounded from above: after {@code i} terms there are at
 * most {@code min(2^i, prefixSum_i / g + 1)} distinct sums, {@code g} the greatest common
 * divisor of the amounts; when that bound exceeds the limit, Monte Carlo is used at once, so
 * a large set never allocates a large enumeration it would abandon.
 */
public final class BernoulliSums {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final double TOLERANCE = 1e-9;

    private BernoulliSums() {
    }

    /**
     * The percentiles and how they were found.
     *
     * @param exact whether exact enumeration was used
     * @param percentiles the percentiles asked for, minor units, in the order asked
     * @param trials Monte Carlo trials, 0 when exact
     * @param sampleMean Monte Carlo sample mean, minor units, NaN when exact
     * @param sampleVariance Monte Carlo sample variance (n − 1 denominator), NaN when exact
     */
    public record Result(boolean exact, long[] percentiles, int trials, double sampleMean, double sampleVariance) {
    }

    /**
     * Computes percentiles of {@code Σ B_i · amounts[i]} with {@code B_i ~ Bernoulli(bp[i] / 10000)}.
     *
     * @param amounts amounts in minor units, not negative
     * @param basisPoints probabilities in basis points, 0..10000
     * @param quantiles the quantiles, each in (0, 1]
     * @param exactWorkLimit the most work (terms × distinct sums) the exact method may take
     * @param trials Monte Carlo trials
     * @param seed Monte Carlo seed
     * @return the result
     * @throws org.crmkit.core.AmountOverflowException when the total of the amounts overflows a long
     */
    public static Result percentiles(long[] amounts, int[] basisPoints, double[] quantiles, long exactWorkLimit,
            int trials, long seed) {
        long total = 0;
        long certain = 0;
        int n = 0;
        long[] a = new long[amounts.length];
        int[] bp = new int[amounts.length];
        for (int i = 0; i < amounts.length; i++) {
            total = org.crmkit.core.AmountOverflowException.add(total, amounts[i], "distribution total");
            if (amounts[i] == 0 || basisPoints[i] == 0) {
                continue;
            }
            if (basisPoints[i] >= 10_000) {
                certain += amounts[i];
                continue;
            }
            a[n] = amounts[i];
            bp[n] = basisPoints[i];
            n++;
        }
        long[] exact = exact(a, bp, n, quantiles, exactWorkLimit);
        if (exact != null) {
            for (int i = 0; i < exact.length; i++) {
                exact[i] += certain;
            }
            return new Result(true, exact, 0, Double.NaN, Double.NaN);
        }
        return monteCarlo(a, bp, n, certain, quantiles, trials, seed);
    }

    private static long[] exact(long[] a, int[] bp, int n, double[] quantiles, long limit) {
        if (!feasible(a, n, limit)) {
            return null;
        }
        long[] sums = {0L};
        double[] probs = {1.0};
        long work = 0;
        for (int i = 0; i < n; i++) {
            work += 2L * sums.length;
            if (work > limit) {
                return null;
            }
            double p = bp[i] / 10_000.0;
            int len = sums.length;
            long[] ns = new long[2 * len];
            double[] np = new double[2 * len];
            int x = 0;
            int y = 0;
            int k = 0;
            long shift = a[i];
            // Merge the sorted "not won" sums with the sorted "won" sums, adding equal sums.
            while (x < len || y < len) {
                long sx = x < len ? sums[x] : Long.MAX_VALUE;
                long sy = y < len ? sums[y] + shift : Long.MAX_VALUE;
                long s;
                double pr;
                if (sx < sy) {
                    s = sx;
                    pr = probs[x++] * (1 - p);
                } else if (sy < sx) {
                    s = sy;
                    pr = probs[y++] * p;
                } else {
                    s = sx;
                    pr = probs[x++] * (1 - p) + probs[y++] * p;
                }
                if (k > 0 && ns[k - 1] == s) {
                    np[k - 1] += pr;
                } else {
                    ns[k] = s;
                    np[k] = pr;
                    k++;
                }
            }
            sums = Arrays.copyOf(ns, k);
            probs = Arrays.copyOf(np, k);
        }
        long[] out = new long[quantiles.length];
        for (int q = 0; q < quantiles.length; q++) {
            double cdf = 0;
            out[q] = sums[sums.length - 1];
            for (int j = 0; j < sums.length; j++) {
                cdf += probs[j];
                if (cdf >= quantiles[q] - TOLERANCE) {
                    out[q] = sums[j];
                    break;
                }
            }
        }
        return out;
    }

    private static boolean feasible(long[] a, int n, long limit) {
        long g = 0;
        for (int i = 0; i < n; i++) {
            g = gcd(g, a[i]);
        }
        long work = 0;
        long prefix = 0;
        for (int i = 0; i < n; i++) {
            long bound = i < 62 ? 1L << i : Long.MAX_VALUE;
            bound = Math.min(bound, prefix / g + 1);
            work += 2 * bound;
            if (work > limit || work < 0) {
                return false;
            }
            prefix += a[i];
        }
        return true;
    }

    private static long gcd(long x, long y) {
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    private static Result monteCarlo(long[] a, int[] bp, int n, long certain, double[] quantiles, int trials,
            long seed) {
        // Even length, padded with zero amounts, so the loop below takes two deals per draw.
        int len = n + (n & 1);
        long[] thresholds = new long[len];
        long[] amounts = Arrays.copyOf(a, len);
        for (int i = 0; i < n; i++) {
            // ceil(bp * 2^32 / 10000)
            thresholds[i] = ((((long) bp[i]) << 32) + 9_999) / 10_000;
        }
        long[] sums = new long[trials];
        IntStream.range(0, trials).parallel().forEach(t -> {
            long state = mix(seed ^ mix((t + 1) * GOLDEN));
            long sum = certain;
            for (int i = 0; i < len; i += 2) {
                state += GOLDEN;
                long z = mix(state);
                // u - threshold is negative exactly when u < threshold: a branch-free success mask,
                // since a mispredicted branch per deal would cost more than the draw.
                sum += amounts[i] & (((z >>> 32) - thresholds[i]) >> 63);
                sum += amounts[i + 1] & (((z & 0xFFFF_FFFFL) - thresholds[i + 1]) >> 63);
            }
            sums[t] = sum;
        });
        double mean = 0;
        for (long s : sums) {
            mean += s;
        }
        mean /= trials;
        double m2 = 0;
        for (long s : sums) {
            double d = s - mean;
            m2 += d * d;
        }
        Arrays.sort(sums);
        long[] out = new long[quantiles.length];
        for (int q = 0; q < quantiles.length; q++) {
            int idx = (int) Math.ceil(quantiles[q] * trials - TOLERANCE) - 1;
            out[q] = sums[Math.max(0, Math.min(trials - 1, idx))];
        }
        return new Result(false, out, trials, mean, m2 / (trials - 1));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
