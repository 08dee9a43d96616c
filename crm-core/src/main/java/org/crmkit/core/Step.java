package org.crmkit.core;

/**
 * A step of a stage: a piece of work the process expects, e.g. "Identify the decision
 * maker". In {@link ProcessMode#BY_PROCESS} the required steps of a stage must be done
 * before the opportunity moves past it. Step codes are unique within a process.
 *
 * @param code the step code, unique within its process
 * @param name the display name
 * @param required whether the step must be done before moving forward
 */
public record Step(String code, String name, boolean required) {
    /**
     * Validates the step.
     *
     * @throws ValidationException when code or name is blank
     */
    public Step {
        StoreLimits.requireKey(code, "step.code");
        StoreLimits.requireNonBlank(name, "step.name");
    }

    /**
     * A required step.
     *
     * @param code the step code
     * @param name the display name
     * @return the step
     */
    public static Step required(String code, String name) {
        return new Step(code, name, true);
    }

    /**
     * An optional step.
     *
     * @param code the step code
     * @param name the display name
     * @return the step
     */
    public static Step optional(String code, String name) {
        return new Step(code, name, false);
    }
}
