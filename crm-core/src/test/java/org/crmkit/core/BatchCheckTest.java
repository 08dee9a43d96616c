package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.draft;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchCheckTest {

    @Test
    void everyFailureOfEveryOpportunityIsCollectedWithItsPositionAndId() {
        Opportunity stored = draft().id("stored").build();
        List<Opportunity> batch = List.of(draft().id("a").build(), stored, draft().id("b").version(2).build(),
                draft().id("a").version(1).build(), draft().id("c").processId(ProcessId.of("nope")).build());
        BatchCheck<Opportunity> check = BatchCheck.ofInsert(batch,
                id -> id.equals(CORP.id()) ? Optional.of(CORP) : Optional.empty(), id -> id.equals(stored.id()));

        assertThat(check.size()).isEqualTo(5);
        assertThat(check.accepted()).extracting(o -> o.id().value()).containsExactly("a");
        assertThat(check.rejections()).extracting(Rejection::index).containsExactly(1, 2, 3, 4);
        assertThat(check.rejections()).extracting(r -> r.opportunityId().value())
                .containsExactly("stored", "b", "a", "c");
        // the duplicate "a" has two failures, both reported
        assertThat(check.rejections().get(2).failures()).extracting(ValidationException::field)
                .containsExactly("version", "id");
        assertThat(check.rejections().get(2).failures()).allSatisfy(
                f -> assertThat(f.opportunityId()).contains(OpportunityId.of("a")));
        assertThat(check.rejections().get(2)).hasToString("batch[3] (opportunity a): invalid version: 1 (expected 0"
                + " for an opportunity not stored yet); invalid id: a (expected an id used once in the batch)");
    }

    @Test
    void anUnknownStageIsRejectedNamingTheOpportunity() {
        Opportunity bad = draft().id("x").stage("NEGOTIATION")
                .transitions(List.of(new StageTransition(null, "NEGOTIATION", Fixtures.T0, Fixtures.ALICE))).build();
        BatchCheck<Opportunity> check = BatchCheck.ofInsert(List.of(bad), id -> Optional.of(CORP), id -> false);
        ValidationException f = check.rejections().get(0).failures().get(0);
        assertThat(f.field()).isEqualTo("stage");
        assertThat(f.value()).isEqualTo("NEGOTIATION");
        assertThat(f.opportunityId()).contains(OpportunityId.of("x"));
    }

    @Test
    void requireAllValidThrowsOneExceptionListingEveryRejection() {
        BatchCheck.Builder<String> b = BatchCheck.builder("rows");
        b.accept("ok");
        b.reject("line 3", OpportunityId.of("o3"), new ValidationException("amount", "12,5", "a decimal number"),
                new ValidationException("closeDate", "31.02.2026", "an ISO date"));
        assertThat(b.attempt("line 4", null, () -> {
            throw new ValidationException("probability", 150, "between 0 and 100").forOpportunity(OpportunityId.of("o4"));
        })).isEmpty();
        assertThat(b.attempt("line 5", null, () -> "five")).contains("five");
        BatchCheck<String> check = b.build();

        assertThat(check.accepted()).containsExactly("ok", "five");
        assertThatThrownBy(check::requireAllValid).isInstanceOfSatisfying(BatchValidationException.class, e -> {
            assertThat(e.batchSize()).isEqualTo(4);
            assertThat(e.rejections()).extracting(Rejection::index).containsExactly(1, 2);
            // the id comes from the failure when the caller did not know it
            assertThat(e.rejections().get(1).opportunityId()).isEqualTo(OpportunityId.of("o4"));
            assertThat(e.field()).isEqualTo("batch");
            assertThat(e.value()).isEqualTo("2 of 4 rows rejected");
            assertThat(e.getMessage()).startsWith("2 of 4 rows rejected:")
                    .contains("line 3 (opportunity o3): invalid amount: 12,5 (expected a decimal number);"
                            + " invalid closeDate: 31.02.2026 (expected an ISO date)")
                    .contains("line 4 (opportunity o4): invalid probability: 150");
            assertThat(e).isInstanceOf(ValidationException.class);
        });
    }

    @Test
    void theMessageListsTheFirstFiftyAndCountsTheRest() {
        BatchCheck.Builder<String> b = BatchCheck.builder("rows");
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            sources.add("line " + (i + 2));
            b.reject(sources.get(i), null, new ValidationException("owner", null, "a value"));
        }
        BatchValidationException e = new BatchValidationException("rows", 120, b.build().rejections());
        assertThat(e.getMessage()).contains("line 51:").doesNotContain("line 52:").contains("... and 70 more");
        assertThat(e.rejections()).hasSize(120);
        assertThat(BatchCheck.builder("rows").build().requireAllValid()).isEmpty();
    }
}
