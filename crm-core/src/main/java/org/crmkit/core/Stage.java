package org.crmkit.core;

import java.util.List;

/**
 * A stage of a {@link SalesProcess}.
 *
 * @param code the stage code, unique within its process
 * @param name the display name
 * @param kind open, or one of the terminal kinds
 * @param defaultProbability the win probability in percent (0–100) an opportunity gets at
 *     this stage unless it has its own
 * @param steps the steps of the stage, in order
 */
public record Stage(String code, String name, StageKind kind, int defaultProbability, List<Step> steps) {
    /**
     * Validates the stage and copies the steps.
     *
     * @throws ValidationException when a value is missing or the probability is outside 0–100
     */
    public Stage {
        StoreLimits.requireKey(code, "stage.code");
        StoreLimits.requireNonBlank(name, "stage.name");
        ValidationException.requireNonNull(kind, "stage.kind");
        ValidationException.require(defaultProbability >= 0 && defaultProbability <= 100,
                "stage.defaultProbability", defaultProbability, "between 0 and 100");
        steps = List.copyOf(ValidationException.requireNonNull(steps, "stage.steps"));
        ValidationException.require(kind == StageKind.OPEN || steps.isEmpty(), "stage.steps", steps,
                "no steps on a terminal stage");
    }

    /**
     * An open stage.
     *
     * @param code the stage code
     * @param name the display name
     * @param defaultProbability default win probability in percent
     * @param steps the steps, in order
     * @return the stage
     */
    public static Stage open(String code, String name, int defaultProbability, Step... steps) {
        return new Stage(code, name, StageKind.OPEN, defaultProbability, List.of(steps));
    }

    /**
     * Whether this is an open stage.
     *
     * @return true for open stages
     */
    public boolean isOpen() {
        return kind == StageKind.OPEN;
    }

    /**
     * The required steps, in order.
     *
     * @return the required steps
     */
    public List<Step> requiredSteps() {
        return steps.stream().filter(Step::required).toList();
    }
}
