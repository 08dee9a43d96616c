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
    private final double[] won;
    private final double[] lost;
    private final double[] survival;
    private final long episodes;
    private final long wins;
    private final long losses;

    private CumulativeIncidence(double[] won, double[] lost, double[] survival, long episodes, long wins,
            long losses) {
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
        int days = wonByDay.length;
        if (lostByDay.length != days || censoredByDay.length != days) {
            throw new IllegalArgumentException("histograms of unequal length");
        }
        long atRisk = 0;
        long wins = 0;
        long losses = 0;
        for (int d = 0; d < days; d++) {
            atRisk += (long) wonByDay[d] + lostByDay[d] + censoredByDay[d];
            wins += wonByDay[d];
            losses += lostByDay[d];
        }
        long episodes = atRisk;
        double[] w = new double[days];
        double[] l = new double[days];
        double[] s = new double[days];
        double surv = 1.0;
        double cw = 0;
        double cl = 0;
        for (int d = 0; d < days; d++) {
            if (atRisk > 0) {
                double n = atRisk;
                cw += surv * wonByDay[d] / n;
                cl += surv * lostByDay[d] / n;
                surv *= 1.0 - (wonByDay[d] + lostByDay[d]) / n;
            }
            w[d] = cw;
            l[d] = cl;
            s[d] = Math.max(0.0, surv);
            atRisk -= (long) wonByDay[d] + lostByDay[d] + censoredByDay[d];
        }
        return new CumulativeIncidence(w, l, s, episodes, wins, losses);
    }

    /**
     * The last day with data (curves are flat after it).
     *
     * @return the last day, -1 when there is no data
     */
    public int lastDay() {
        return won.length - 1;
    }

    /**
     * P(won within {@code day} days), flat after the last day; 0 before day 0.
     *
     * @param day the day
     * @return the cumulative incidence of winning
     */
    public double won(int day) {
        return day < 0 || won.length == 0 ? 0.0 : won[Math.min(day, won.length - 1)];
    }

    /**
     * P(lost within {@code day} days), flat after the last day; 0 before day 0.
     *
     * @param day the day
     * @return the cumulative incidence of losing
     */
    public double lost(int day) {
        return day < 0 || lost.length == 0 ? 0.0 : lost[Math.min(day, lost.length - 1)];
    }

    /**
     * P(still open after {@code day} days); 1 before day 0, flat after the last day.
     *
     * @param day the day
     * @return the survival
     */
    public double survival(int day) {
        return day < 0 ? 1.0 : survival.length == 0 ? 1.0 : survival[Math.min(day, survival.length - 1)];
    }

    /**
     * The first day on which the cumulative incidence of winning reaches a share of its final
     * value (the quantile of the time to win among the wins the data places).
     *
     * @param share a share in (0, 1]
     * @return the day, or -1 when nothing is won
     */
    public int dayWonShareReaches(double share) {
        double total = won(lastDay());
        if (total <= 0) {
            return -1;
        }
        int i = Arrays.binarySearch(won, total * share - 1e-12);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * The first day on which the cumulative incidence of losing reaches a share of its final value.
     *
     * @param share a share in (0, 1]
     * @return the day, or -1 when nothing is lost
     */
    public int dayLostShareReaches(double share) {
        double total = lost(lastDay());
        if (total <= 0) {
            return -1;
        }
        int i = Arrays.binarySearch(lost, total * share - 1e-12);
        return i >= 0 ? i : -i - 1;
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
