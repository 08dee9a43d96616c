package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * Whether the win probabilities meant what they said: for the deals closed (won or lost) in a
 * window, the probability each {@link ProbabilityModel} gave the deal at a chosen point before
 * its close, against the outcome.
 *
 * <p>The deal at the point is {@link Opportunity#asOf} that instant, and each model is asked
 * about that reconstruction: {@link ProbabilityModels#own()} gives the probability the deal had
 * then (from its field history), {@link ProbabilityModels#stageDefault()} the default of the
 * stage it was at then, a {@link HistoricalWinRateModel} its measured rate for that stage. (Measure
 * a historical model on deals closed <em>before</em> the window: measured on the window itself it
 * has seen the outcomes it is judged on.) A deal closed in the window counts by its closing
 * transition's date in the engine calendar's zone, as the funnel and the forecast count it. An
 * engine restricted to a viewer ({@link ForecastEngine.Builder#visibility}) scores only the deals
 * whose owner the viewer sees.
 *
 * <p>Every deal closed in the window is either included or listed in {@link #excluded()} with
 * its {@link ProbabilityCalibration.Exclusion reason}; none is dropped silently. The same deals are included for every
 * model, so their scores compare. Per model: the Brier score (mean of (p − outcome)², 0 is
 * perfect, 0.25 is a constant 50 %), and a reliability table of predicted-probability buckets
 * (count, mean predicted, observed win rate: a calibrated model's two agree), overall, per
 * manager (the owner at the point, whose probability it was) and per stage (the stage at the
 * point). Scores and rates are rounded to 16 significant digits ({@link MathContext#DECIMAL64})
 * from exact sums.
 *
 * @param window the window the deals closed in
 * @param point the point each deal's probability is read at
 * @param bucketCount the number of equal buckets of the reliability tables
 * @param closed the deals closed in the window
 * @param included the deals scored ({@code closed − excluded.size()})
 * @param excluded the deals closed in the window that could not be scored, and why, by id
 * @param models one calibration per model, in the order given
 * @param deals every included deal with each model's probability, by id
 */
public record ProbabilityCalibration(Period window, Point point, int bucketCount, long closed, long included,
        List<ExcludedDeal> excluded, List<ModelCalibration> models, List<CalibratedDeal> deals) {
    private static final MathContext MC = MathContext.DECIMAL64;

    /**
     * Validates the counts and copies the lists.
     *
     * @throws ValidationException when a value is missing or the counts disagree
     */
    public ProbabilityCalibration {
        ValidationException.requireNonNull(window, "window");
        ValidationException.requireNonNull(point, "point");
        excluded = List.copyOf(ValidationException.requireNonNull(excluded, "excluded"));
        models = List.copyOf(ValidationException.requireNonNull(models, "models"));
        deals = List.copyOf(ValidationException.requireNonNull(deals, "deals"));
        ValidationException.require(included == deals.size(), "included", included, "the number of deals " + deals.size());
        ValidationException.require(closed == included + excluded.size(), "closed", closed,
                "included + excluded = " + (included + excluded.size()));
    }

    /** The kind of point a probability is read at. */
    public enum PointKind {
        /** A number of days (of 24 hours) before the deal's closing transition. */
        DAYS_BEFORE_CLOSE,
        /** One instant for every deal. */
        INSTANT,
        /** The deal's first entry into a stage (the probability the stage change set, if any). */
        STAGE_ENTRY
    }

    /**
     * The point a deal's probability is read at. Build with {@link #daysBeforeClose},
     * {@link #at} or {@link #stageEntry}.
     *
     * @param kind the kind
     * @param days for {@link PointKind#DAYS_BEFORE_CLOSE}: the days, at least 1; else 0
     * @param instant for {@link PointKind#INSTANT}: the instant; else null
     * @param stage for {@link PointKind#STAGE_ENTRY}: the stage code; else null
     */
    public record Point(PointKind kind, int days, Instant instant, String stage) {
        /**
         * Checks that exactly the kind's value is given.
         *
         * @throws ValidationException when a value of the kind is missing or another is given
         */
        public Point {
            ValidationException.requireNonNull(kind, "point.kind");
            ValidationException.require(kind == PointKind.DAYS_BEFORE_CLOSE ? days >= 1 : days == 0, "point.days", days,
                    kind == PointKind.DAYS_BEFORE_CLOSE ? "at least 1 day before the close" : "0 for a " + kind + " point");
            ValidationException.require((kind == PointKind.INSTANT) == (instant != null), "point.instant", instant,
                    kind == PointKind.INSTANT ? "an instant" : "none for a " + kind + " point");
            ValidationException.require((kind == PointKind.STAGE_ENTRY) == (stage != null), "point.stage", stage,
                    kind == PointKind.STAGE_ENTRY ? "a stage code" : "none for a " + kind + " point");
            if (stage != null) {
                ValidationException.requireText(stage, "point.stage");
            }
        }

        /**
         * A number of days before each deal's close (its closing transition), counted in 24-hour
         * days so the point does not depend on a zone.
         *
         * @param days at least 1
         * @return the point
         * @throws ValidationException when {@code days < 1}
         */
        public static Point daysBeforeClose(int days) {
            return new Point(PointKind.DAYS_BEFORE_CLOSE, days, null, null);
        }

        /**
         * One instant for every deal: the probabilities a forecast of that day used.
         *
         * @param instant the instant
         * @return the point
         */
        public static Point at(Instant instant) {
            return new Point(PointKind.INSTANT, 0, Objects.requireNonNull(instant, "instant"), null);
        }

        /**
         * The instant each deal first entered a stage (inclusive, so a probability the stage
         * change set counts).
         *
         * @param stage the stage code
         * @return the point
         * @throws ValidationException when the code is blank
         */
        public static Point stageEntry(String stage) {
            return new Point(PointKind.STAGE_ENTRY, 0, null, Objects.requireNonNull(stage, "stage"));
        }

        /** The instant of this point for a closed deal; empty when the deal never entered the stage. */
        Optional<Instant> instantFor(Opportunity o) {
            return switch (kind) {
                case DAYS_BEFORE_CLOSE -> Optional.of(o.closedAt().orElseThrow().minus(Duration.ofDays(days)));
                case INSTANT -> Optional.of(instant);
                case STAGE_ENTRY -> o.transitions().stream().filter(t -> stage.equals(t.to()))
                        .map(StageTransition::at).findFirst();
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case DAYS_BEFORE_CLOSE -> days + " days before close";
                case INSTANT -> "at " + instant;
                case STAGE_ENTRY -> "entry into " + stage;
            };
        }
    }

    /** Why a deal closed in the window was not scored. */
    public enum Exclusion {
        /** The deal did not exist yet at the point (created after it). */
        NOT_CREATED,
        /** The deal was already closed at the point (a fixed instant after its close, or a close before a reopen). */
        CLOSED_AT_POINT,
        /**
         * The deal's field history starts after the point ({@link Opportunity#historyStart()}):
         * its probability then is not known, only the one at the history start.
         */
        HISTORY_STARTS_AFTER,
        /** For a {@link PointKind#STAGE_ENTRY} point: the deal never entered the stage. */
        NEVER_ENTERED_STAGE
    }

    /**
     * A deal closed in the window that was not scored.
     *
     * @param id the deal
     * @param owner its owner now
     * @param won whether it was won
     * @param reason why it was not scored
     */
    public record ExcludedDeal(OpportunityId id, ManagerId owner, boolean won, Exclusion reason) {
    }

    /**
     * One model's probability of one deal.
     *
     * @param model the model's name
     * @param basisPoints the probability, 0..10000 basis points
     */
    public record Prediction(String model, int basisPoints) {
    }

    /**
     * An included deal.
     *
     * @param id the deal
     * @param owner its owner at the point
     * @param process its process
     * @param stage its stage at the point
     * @param at the point's instant for this deal
     * @param won the outcome: true when won
     * @param predictions each model's probability, in the order of the models
     */
    public record CalibratedDeal(OpportunityId id, ManagerId owner, ProcessId process, String stage, Instant at,
            boolean won, List<Prediction> predictions) {
        /**
         * Copies the predictions.
         */
        public CalibratedDeal {
            predictions = List.copyOf(predictions);
        }
    }

    /**
     * One bucket of predicted probabilities: {@code lower <= p < upper} (the last bucket
     * includes 100 %).
     *
     * @param index the bucket's position, from 0
     * @param lower the lowest probability of the bucket, 0..1
     * @param upper the probability the bucket ends before, 0..1
     * @param deals the deals predicted in the bucket
     * @param won how many of them were won
     * @param meanPredicted their mean predicted probability, 0..1; null when the bucket is empty
     * @param observedWinRate {@code won / deals}; null when the bucket is empty
     */
    public record Bucket(int index, BigDecimal lower, BigDecimal upper, long deals, long won, BigDecimal meanPredicted,
            BigDecimal observedWinRate) {
    }

    /**
     * The calibration of one model over a set of deals.
     *
     * @param deals the deals
     * @param won how many were won
     * @param brierScore the mean of (p − outcome)², 0..1; null when there are no deals
     * @param reliability every bucket, empty ones included
     */
    public record Score(long deals, long won, BigDecimal brierScore, List<Bucket> reliability) {
        /**
         * Copies the buckets.
         */
        public Score {
            reliability = List.copyOf(reliability);
        }
    }

    /**
     * A model's calibration for one manager's deals.
     *
     * @param manager the owner at the point
     * @param score the calibration of the manager's deals
     */
    public record ManagerScore(ManagerId manager, Score score) {
    }

    /**
     * A model's calibration for the deals that were at one stage at the point.
     *
     * @param process the process
     * @param stage the stage code
     * @param score the calibration of those deals
     */
    public record StageScore(ProcessId process, String stage, Score score) {
    }

    /**
     * The calibration of one model.
     *
     * @param model the model's name
     * @param overall over every included deal
     * @param fallbacks for a {@link HistoricalWinRateModel}: the deals whose stage had no usable
     *     measured rate, so the fallback model answered; 0 for other models
     * @param byManager per owner at the point, by id
     * @param byStage per stage at the point, by process then stage order
     */
    public record ModelCalibration(String model, Score overall, long fallbacks, List<ManagerScore> byManager,
            List<StageScore> byStage) {
        /**
         * Copies the lists.
         */
        public ModelCalibration {
            byManager = List.copyOf(byManager);
            byStage = List.copyOf(byStage);
        }
    }

    /**
     * Measures with ten buckets (0–10 %, …, 90–100 %).
     *
     * @param engine the forecast engine: its calendar places closes in the window, its processes
     *     give the stages
     * @param opportunities the deals as they are now, with their history (open ones are ignored)
     * @param window the window the deals closed in
     * @param point the point the probabilities are read at
     * @param models the models to score, at least one, names distinct
     * @return the calibration
     * @throws ValidationException when no model is given, two share a name, the stage of a
     *     stage-entry point is an open stage of no process, or a model answers outside 0..10000
     * @throws NotFoundException when a deal's process was not given to the engine
     */
    public static ProbabilityCalibration measure(ForecastEngine engine, Collection<Opportunity> opportunities,
            Period window, Point point, List<? extends ProbabilityModel> models) {
        return measure(engine, opportunities, window, point, models, 10);
    }

    /**
     * Measures.
     *
     * @param engine the forecast engine: its calendar places closes in the window, its processes
     *     give the stages
     * @param opportunities the deals as they are now, with their history (open ones are ignored)
     * @param window the window the deals closed in
     * @param point the point the probabilities are read at
     * @param models the models to score, at least one, names distinct
     * @param bucketCount the number of equal buckets, 1..100
     * @return the calibration
     * @throws ValidationException when no model is given, two share a name, the bucket count is
     *     outside 1..100, the stage of a stage-entry point is an open stage of no process, or a model answers
     *     outside 0..10000
     * @throws NotFoundException when a deal's process was not given to the engine
     */
    public static ProbabilityCalibration measure(ForecastEngine engine, Collection<Opportunity> opportunities,
            Period window, Point point, List<? extends ProbabilityModel> models, int bucketCount) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(opportunities, "opportunities");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(models, "models");
        ValidationException.require(!models.isEmpty(), "models", models, "at least one probability model");
        ValidationException.require(bucketCount >= 1 && bucketCount <= 100, "bucketCount", bucketCount, "1..100");
        Set<String> names = new HashSet<>();
        for (ProbabilityModel m : models) {
            ValidationException.requireNonNull(m, "models[]");
            ValidationException.require(names.add(m.name()), "models", m.name(), "models with distinct names");
        }
        Map<ProcessId, SalesProcess> processes = engine.processes();
        if (point.kind() == PointKind.STAGE_ENTRY) {
            ValidationException.require(processes.values().stream().anyMatch(p -> p.openStages().stream()
                    .anyMatch(s -> s.code().equals(point.stage()))), "point.stage", point.stage(),
                    "an open stage of one of the engine's processes " + processes.keySet());
        }
        List<ExcludedDeal> excluded = new ArrayList<>();
        List<CalibratedDeal> deals = new ArrayList<>();
        long[] fallbacks = new long[models.size()];
        long closed = 0;
        org.crmkit.core.Visibility visibility = engine.visibility();
        for (Opportunity o : opportunities) {
            if (visibility != null && !visibility.sees(o.owner())) {
                continue; // an engine restricted to a viewer scores only the deals the viewer sees, as its forecasts do
            }
            if (!o.status().isClosed()
                    || !window.contains(engine.config().calendar().dateOf(o.closedAt().orElseThrow()))) {
                continue;
            }
            closed++;
            boolean won = o.status() == OpportunityStatus.WON;
            Optional<Instant> at = point.instantFor(o);
            if (at.isEmpty()) {
                excluded.add(new ExcludedDeal(o.id(), o.owner(), won, Exclusion.NEVER_ENTERED_STAGE));
                continue;
            }
            Optional<Opportunity> then = o.asOf(at.get());
            Exclusion reason = then.isEmpty() ? Exclusion.NOT_CREATED
                    : then.get().status().isClosed() ? Exclusion.CLOSED_AT_POINT
                    : o.historyStart().isAfter(at.get()) ? Exclusion.HISTORY_STARTS_AFTER : null;
            if (reason != null) {
                excluded.add(new ExcludedDeal(o.id(), o.owner(), won, reason));
                continue;
            }
            Opportunity d = then.get();
            SalesProcess process = processes.get(d.processId());
            if (process == null) {
                throw new NotFoundException("process", d.processId());
            }
            List<Prediction> predictions = new ArrayList<>(models.size());
            for (int i = 0; i < models.size(); i++) {
                ProbabilityModel m = models.get(i);
                int bp = m.probabilityBasisPoints(d, process);
                ValidationException.require(bp >= 0 && bp <= ProbabilityModel.ONE, "probabilityBasisPoints", bp,
                        "0..10000 from model " + m.name() + " for " + o.id().value());
                if (m instanceof HistoricalWinRateModel h && h.rateBasisPoints(d.processId(), d.stage()).isEmpty()) {
                    fallbacks[i]++;
                }
                predictions.add(new Prediction(m.name(), bp));
            }
            deals.add(new CalibratedDeal(o.id(), d.owner(), d.processId(), d.stage(), at.get(), won, predictions));
        }
        deals.sort(Comparator.comparing(c -> c.id().value()));
        excluded.sort(Comparator.comparing(e -> e.id().value()));
        List<ModelCalibration> out = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            int m = i;
            TreeMap<String, List<CalibratedDeal>> byManager = new TreeMap<>();
            TreeMap<String, List<CalibratedDeal>> byStage = new TreeMap<>();
            for (CalibratedDeal c : deals) {
                byManager.computeIfAbsent(c.owner().value(), k -> new ArrayList<>()).add(c);
                SalesProcess p = processes.get(c.process());
                // sorted by process id, then by the stage's place in the process
                byStage.computeIfAbsent(c.process().value() + "\u0000" + String.format(java.util.Locale.ROOT, "%04d", p.indexOf(c.stage())),
                        k -> new ArrayList<>()).add(c);
            }
            List<ManagerScore> managers = new ArrayList<>();
            byManager.forEach((k, list) -> managers.add(new ManagerScore(list.get(0).owner(),
                    score(list, m, bucketCount))));
            List<StageScore> stages = new ArrayList<>();
            byStage.forEach((k, list) -> stages.add(new StageScore(list.get(0).process(), list.get(0).stage(),
                    score(list, m, bucketCount))));
            out.add(new ModelCalibration(models.get(i).name(), score(deals, m, bucketCount), fallbacks[i], managers,
                    stages));
        }
        return new ProbabilityCalibration(window, point, bucketCount, closed, deals.size(), excluded, out, deals);
    }

    /** The score of model {@code m} (its index in the predictions) over some deals. */
    private static Score score(List<CalibratedDeal> deals, int m, int bucketCount) {
        long squares = 0;
        long won = 0;
        long[] count = new long[bucketCount];
        long[] wonIn = new long[bucketCount];
        long[] sumBp = new long[bucketCount];
        for (CalibratedDeal c : deals) {
            int bp = c.predictions().get(m).basisPoints();
            long miss = bp - (c.won() ? ProbabilityModel.ONE : 0);
            squares = Math.addExact(squares, miss * miss);
            int b = bucketOf(bp, bucketCount);
            count[b]++;
            sumBp[b] += bp;
            if (c.won()) {
                won++;
                wonIn[b]++;
            }
        }
        List<Bucket> buckets = new ArrayList<>(bucketCount);
        BigDecimal n = BigDecimal.valueOf(bucketCount);
        for (int b = 0; b < bucketCount; b++) {
            buckets.add(new Bucket(b, BigDecimal.valueOf(b).divide(n, MC), BigDecimal.valueOf(b + 1L).divide(n, MC),
                    count[b], wonIn[b], count[b] == 0 ? null
                            : BigDecimal.valueOf(sumBp[b]).movePointLeft(4).divide(BigDecimal.valueOf(count[b]), MC),
                    count[b] == 0 ? null : BigDecimal.valueOf(wonIn[b]).divide(BigDecimal.valueOf(count[b]), MC)));
        }
        BigDecimal brier = deals.isEmpty() ? null
                : BigDecimal.valueOf(squares).movePointLeft(8).divide(BigDecimal.valueOf(deals.size()), MC);
        return new Score(deals.size(), won, brier, buckets);
    }

    /** The bucket of a probability: {@code floor(p × buckets)}, 100 % in the last one. */
    static int bucketOf(int basisPoints, int bucketCount) {
        return Math.min(bucketCount - 1, (int) ((long) basisPoints * bucketCount / ProbabilityModel.ONE));
    }

    /**
     * The calibration of one model.
     *
     * @param model the model's name
     * @return its calibration
     * @throws ValidationException when no model of that name was scored
     */
    public ModelCalibration model(String model) {
        return models.stream().filter(m -> m.model().equals(model)).findFirst().orElseThrow(
                () -> new ValidationException("model", model, "one of the scored models " + models.stream()
                        .map(ModelCalibration::model).toList()));
    }

    /**
     * How many excluded deals have a reason.
     *
     * @param reason the reason
     * @return the count
     */
    public long excluded(Exclusion reason) {
        Objects.requireNonNull(reason, "reason");
        return excluded.stream().filter(e -> e.reason() == reason).count();
    }
}
