package org.crmkit.core;

import java.util.List;

/**
 * Everything a tenant's sales data consists of, as one value: processes, the org
 * structure, plans and opportunities. Used for export and import (JSON) and by the data
 * generators in {@code crm-testkit}.
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
     * @throws ValidationException when a part is missing
     */
    public Dataset {
        processes = List.copyOf(ValidationException.requireNonNull(processes, "processes"));
        ValidationException.requireNonNull(orgStructure, "orgStructure");
        plans = List.copyOf(ValidationException.requireNonNull(plans, "plans"));
        opportunities = List.copyOf(ValidationException.requireNonNull(opportunities, "opportunities"));
    }
}
