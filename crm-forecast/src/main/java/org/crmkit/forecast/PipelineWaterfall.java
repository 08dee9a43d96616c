package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * How a node's pipeline for a period went from the opening instant to the closing one: the
 * opening total, one step per {@link PipelineStep} (each deal in exactly one, its primary
 * step), the closing total. The steps sum exactly: {@code opening + Σ step.delta = closing},
 * checked on construction. Every deal is listed, with no record limit.
 *
 * @param node the node
 * @param period the period the pipeline closes in
 * @param from the opening instant
 * @param to the closing instant
 * @param currency the reporting currency (ISO code)
 * @param openingCount the deals in the opening pipeline
 * @param opening their total value, exact
 * @param closingCount the deals in the closing pipeline
 * @param closing their total value, exact
 * @param steps every step in {@link PipelineStep} order, empty ones included
 * @param deals every deal in the opening or closing pipeline, by primary step then id
 * @param incompleteHistory how many of those deals have a field history that starts after the
 *     opening instant ({@link org.crmkit.core.Opportunity#historyStart()}): their opening values
 *     other than the stage are those of that start, the only ones known
 */
public record PipelineWaterfall(OrgNodeId node, Period period, Instant from, Instant to, String currency,
        long openingCount, BigDecimal opening, long closingCount, BigDecimal closing, List<Step> steps,
        List<PipelineChange> deals, long incompleteHistory) {

    /**
     * One step of the waterfall.
     *
     * @param step the step
     * @param count the deals whose primary step it is
     * @param delta what they moved the total by, exact (0 for the steps of staying deals other
     *     than AMOUNT_UP and AMOUNT_DOWN)
     */
    public record Step(PipelineStep step, long count, BigDecimal delta) {
    }

    /**
     * Checks that the steps sum to the difference.
     *
     * @throws ValidationException when they do not
     */
    public PipelineWaterfall {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(period, "period");
        steps = List.copyOf(steps);
        deals = List.copyOf(deals);
        BigDecimal sum = opening;
        for (Step s : steps) {
            sum = sum.add(s.delta());
        }
        ValidationException.require(sum.compareTo(closing) == 0, "steps", sum,
                "opening + the steps = the closing total " + closing);
    }

    /**
     * One step's figures.
     *
     * @param step the step
     * @return its count and delta
     */
    public Step step(PipelineStep step) {
        return steps.get(step.ordinal());
    }

    /**
     * The deals of one primary step: the drill-down.
     *
     * @param step the step
     * @return those deals, by id
     */
    public List<PipelineChange> deals(PipelineStep step) {
        return deals.stream().filter(d -> d.step() == step).toList();
    }

    /**
     * The ids of one primary step's deals.
     *
     * @param step the step
     * @return their ids, in order
     */
    public List<OpportunityId> ids(PipelineStep step) {
        return deals(step).stream().map(PipelineChange::id).toList();
    }

    /**
     * The deals that carry a step, as primary or not (e.g. every deal pushed, whatever else
     * happened to it).
     *
     * @param kind the step
     * @return those deals
     */
    public List<PipelineChange> dealsWith(PipelineStep kind) {
        return deals.stream().filter(d -> d.kinds().contains(kind)).toList();
    }
}
