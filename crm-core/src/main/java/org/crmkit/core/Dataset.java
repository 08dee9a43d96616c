package org.crmkit.core;

import java.util.List;

/**
 * Everything a tenant's sales data consists of, as one value: processes, the org
 * structure, plans and opportunities. Used for export and import (JSON,
 * {@link org.crmkit.core.spi.CrmStorage#importDataset}) and by the data generators in
 * {@code crm-testkit}. Keys are unique within a dataset: one process per id, one plan per
 * (node, period), one opportunity per id; a second one is refused rather than silently
 * replacing the first on import.
 *
 * @param processes the sales processes
 * @param orgStructure the org structure
 * @param plans the sales plans
 * @param opportunities the opportunities
 */
public record Dataset(List<SalesProcess> processes, OrgStructure orgStructure, List<SalesPlan> plans,
        List<Opportunity> opportunities) {
    /**
     * Validates and copies the parts.
     *
     * @throws ValidationException when a part is missing or a key occurs twice
     */
    public Dataset {
        processes = List.copyOf(ValidationException.requireNonNull(processes, "processes"));
        ValidationException.requireNonNull(orgStructure, "orgStructure");
        plans = List.copyOf(ValidationException.requireNonNull(plans, "plans"));
        opportunities = List.copyOf(ValidationException.requireNonNull(opportunities, "opportunities"));
        requireUnique(processes, SalesProcess::id, "processes", "process id");
        requireUnique(plans, p -> p.node().key() + " " + p.period().start() + ".." + p.period().end(), "plans",
                "plan for one node and period");
        requireUnique(opportunities, Opportunity::id, "opportunities", "opportunity id");
    }

    private static <T> void requireUnique(List<T> values, java.util.function.Function<T, Object> key, String field,
            String what) {
        java.util.Map<Object, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Integer first = seen.putIfAbsent(key.apply(values.get(i)), i);
            if (first != null) {
                throw new ValidationException(field + "[" + i + "]", key.apply(values.get(i)),
                        "one " + what + " per dataset; [" + first + "] has it already");
            }
        }
    }
}
