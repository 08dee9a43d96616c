package org.crmkit.forecast.internal;

import java.util.Arrays;

/**
 * The Aalen–Johansen estimator of two competing risks (won, lost) over whole days, with right
 * censoring (deals still open). From a day histogram of episodes (each ended on day {@code d}
 * by a win, a loss or censoring) it gives, for every day {@code d}:
 * <ul>
 *   <li>{@code survival(d)} = P(T &gt; d), the Kaplan–Meier estimate with both outcomes as
 *       events: ∏<sub>u ≤ d</sub> (1 − e(u)/n(u));</li>
 *   <li>{@code won(d)} = P(T ≤ d, won) = Σ<sub>u ≤ d</sub> S(u − 1) · w(u)/n(u), the cumulative
 *       incidence of winning; {@code lost(d)} likewise.</li>
 * </ul>
 * {@code n(u)} is the number of episodes still at risk at the start of day {@code u} (ended on
 * {@code u} or later); events on a day count before censoring on the same day, as usual.
 * Treating losses as censoring and taking 1 − Kaplan–Meier would overstate the chance of
 * winning; the cumulative incidence does not: {@code won(d) + lost(d) + survival(d) = 1}.
 * Beyond the last observed day every curve stays flat and {@code survival(last)} is the mass
 * the data cannot place.
 *
 * <p>Immutable once built; arrays are never exposed.
 */
public final class CumulativeIncidence {
    // Step functions kept only at the days that hold data (sparse), so a pool of few episodes
    // costs memory in proportion to them, not to the longest duration.
    private final int[] days;
    private final double[] won;
    private final double[] lost;
    private final double[] survival;
    private final long episodes;
    private final long wins;
    private final long losses;

    private CumulativeIncidence(int[] days, double[] won, double[] lost, double[] survival, long episodes, long wins,
            long losses) {
        this.days = days;
        this.won = won;
        this.lost = lost;
        this.survival = survival;
        this.episodes = episodes;
        this.wins = wins;
        this.losses = losses;
    }

    /**
     * Estimates the curves from day histograms of equal length.
     *
     * @param wonByDay episodes won on each day
     * @param lostByDay episodes lost on each day
     * @param censoredByDay episodes still open, observed up to each day
     * @return the estimate
     */
    public static CumulativeIncidence estimate(int[] wonByDay, int[] lostByDay, int[] censoredByDay) {
        int n = wonByDay.length;
        if (lostByDay.length != n || censoredByDay.length != n) {
            throw new IllegalArgumentException("histograms of unequal length");
        }
        long atRisk = 0;
        long wins = 0;
        long losses = 0;
        int points = 0;
        for (int d = 0; d < n; d++) {
            long all = (long) wonByDay[d] + lostByDay[d] + censoredByDay[d];
            atRisk += all;
            wins += wonByDay[d];
            losses += lostByDay[d];
            if (all > 0) {
                points++;
            }
        }
        long episodes = atRisk;
        int[] at = new int[points];
        double[] w = new double[points];
        double[] l = new double[points];
        double[] s = new double[points];
        double surv = 1.0;
        double cw = 0;
        double cl = 0;
        int i = 0;
        for (int d = 0; d < n; d++) {
            long all = (long) wonByDay[d] + lostByDay[d] + censoredByDay[d];
            if (all == 0) {
                continue;
            }
            double risk = atRisk;
            cw += surv * wonByDay[d] / risk;
            cl += surv * lostByDay[d] / risk;
            surv *= 1.0 - (wonByDay[d] + lostByDay[d]) / risk;
            at[i] = d;
            w[i] = cw;
            l[i] = cl;
            s[i] = Math.max(0.0, surv);
            i++;
            atRisk -= all;
        }
        return new CumulativeIncidence(at, w, l, s, episodes, wins, losses);
    }

    /** The index of the last point at or before a day, -1 when none. */
    private int point(int day) {
        int i = Arrays.binarySearch(days, day);
        return i >= 0 ? i : -i - 2;
    }

    /**
     * The last day with data (curves are flat after it).
     *
     * @return the last day, -1 when there is no data
     */
    public int lastDay() {
        return days.length == 0 ? -1 : days[days.length - 1];
    }

    /**
     * P(won within {@code day} days), flat after the last day; 0 before day 0.
     *
     * @param day the day
     * @return the cumulative incidence of winning
     */
    public double won(int day) {
        int i = point(day);
        return i < 0 ? 0.0 : won[i];
    }

    /**
     * P(lost within {@code day} days), flat after the last day; 0 before day 0.
     *
     * @param day the day
     * @return the cumulative incidence of losing
     */
    public double lost(int day) {
        int i = point(day);
        return i < 0 ? 0.0 : lost[i];
    }

    /**
     * P(still open after {@code day} days); 1 before day 0, flat after the last day.
     *
     * @param day the day
     * @return the survival
     */
    public double survival(int day) {
        int i = point(day);
        return i < 0 ? 1.0 : survival[i];
    }

    /**
     * The first day on which the cumulative incidence of winning reaches a share of its final
     * value (the quantile of the time to win among the wins the data places).
     *
     * @param share a share in (0, 1]
     * @return the day, or -1 when nothing is won
     */
    public int dayWonShareReaches(double share) {
        return reaches(won, share);
    }

    /**
     * The first day on which the cumulative incidence of losing reaches a share of its final value.
     *
     * @param share a share in (0, 1]
     * @return the day, or -1 when nothing is lost
     */
    public int dayLostShareReaches(double share) {
        return reaches(lost, share);
    }

    private int reaches(double[] curve, double share) {
        double total = curve.length == 0 ? 0 : curve[curve.length - 1];
        if (total <= 0) {
            return -1;
        }
        double target = total * share - 1e-12;
        for (int i = 0; i < curve.length; i++) {
            if (curve[i] >= target) {
                return days[i];
            }
        }
        return days[days.length - 1];
    }

    /**
     * Episodes the estimate rests on.
     *
     * @return won + lost + censored
     */
    public long episodes() {
        return episodes;
    }

    /**
     * Episodes that ended in a win.
     *
     * @return the count
     */
    public long wins() {
        return wins;
    }

    /**
     * Episodes that ended in a loss.
     *
     * @return the count
     */
    public long losses() {
        return losses;
    }
}
