package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidationExceptionTest {

    @Test
    void theMessageNamesFieldValueAndExpectation() {
        ValidationException e = new ValidationException("probability", 150, "between 0 and 100");
        assertThat(e.getMessage()).isEqualTo("invalid probability: 150 (expected between 0 and 100)");
        assertThat(e.field()).isEqualTo("probability");
        assertThat(e.value()).isEqualTo("150");
        assertThat(e.expected()).isEqualTo("between 0 and 100");
        assertThat(new ValidationException("x", null, "a value").value()).isEqualTo("null");
    }

    @Test
    void locatingKeepsValueAndExpectationAndTheOriginalAsCause() {
        ValidationException e = new ValidationException("probability", 150, "between 0 and 100");
        ValidationException located = e.at("opportunities[3]");
        assertThat(located.field()).isEqualTo("opportunities[3].probability");
        assertThat(located.value()).isEqualTo("150");
        assertThat(located.expected()).isEqualTo("between 0 and 100");
        assertThat(located.getMessage())
                .isEqualTo("invalid opportunities[3].probability: 150 (expected between 0 and 100)");
        assertThat(located.getCause()).isSameAs(e);
    }

    @Test
    void aFailureNamesTheOpportunityItBelongsTo() {
        ValidationException e = new ValidationException("probability", 150, "between 0 and 100");
        ValidationException named = e.forOpportunity(OpportunityId.of("o-7"));
        assertThat(named.getMessage()).isEqualTo("opportunity o-7: invalid probability: 150 (expected between 0 and 100)");
        assertThat(named.opportunityId()).contains(OpportunityId.of("o-7"));
        assertThat(named.field()).isEqualTo("probability");
        assertThat(named.getCause()).isSameAs(e);
        // named once: an enclosing opportunity does not rename it
        assertThat(named.forOpportunity(OpportunityId.of("other"))).isSameAs(named);
        assertThat(e.forOpportunity(null)).isSameAs(e);
        assertThat(e.opportunityId()).isEmpty();
        // located, it keeps the opportunity
        assertThat(named.at("opportunities[3]").getMessage())
                .isEqualTo("opportunity o-7: invalid opportunities[3].probability: 150 (expected between 0 and 100)");
    }
}
