package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.crmkit.core.Opportunity;
import org.junit.jupiter.api.Test;

class DatasetGeneratorPropertiesTest {
    private static final long COUNT = 10_000_000;

    private static DatasetGenerator generator(long seed, boolean fullChildren) {
        return DatasetGenerator.of(GeneratorConfig.builder().seed(seed).opportunities(COUNT).managers(50)
                .fullChildren(fullChildren).build());
    }

    @Test
    void anyOpportunityOfAnySeedIsValidDeterministicAndBeforeTheSnapshot() {
        qt().withExamples(120).forAll(longs().all(), longs().between(0L, COUNT - 1)).checkAssert((seed, index) -> {
            DatasetGenerator generator = generator(seed, true);
            Opportunity opp = generator.opportunity(index);

            opp.requireConformsTo(generator.process());
            assertThat(generator(seed, true).opportunity(index)).isEqualTo(opp);
            assertThat(opp.transitions()).allSatisfy(t -> assertThat(t.at()).isBefore(generator.asOf()));
            assertThat(opp.expectedCloseDate()).isAfterOrEqualTo(opp.createdAt().atZone(generator.config().zone())
                    .toLocalDate());
        });
    }

    @Test
    void fullChildrenAddChildrenWithoutChangingAnythingElse() {
        qt().withExamples(120).forAll(longs().all(), longs().between(0L, COUNT - 1)).checkAssert((seed, index) -> {
            Opportunity cheap = generator(seed, false).opportunity(index);
            Opportunity full = generator(seed, true).opportunity(index);

            Opportunity stripped = full.toBuilder().competitors(List.of()).participants(List.of()).leads(List.of())
                    .productLines(List.of()).history(List.of()).build();
            assertThat(stripped).isEqualTo(cheap);
        });
    }

    @Test
    void anyOutcomeSharesAreAccepted() {
        // lost is scaled into what won leaves (an assumption w + l <= 100 would discard half
        // the examples and let QuickTheories give up now and then)
        qt().withExamples(30).forAll(integers().between(0, 100), integers().between(0, 100))
                .checkAssert((won, lostPart) -> {
                    int lost = lostPart * (100 - won) / 100;
                    GeneratorConfig config = GeneratorConfig.builder().opportunities(200).managers(10)
                            .outcomeShares(won / 100.0, lost / 100.0, (100 - won - lost) / 100.0).build();
                    DatasetGenerator generator = DatasetGenerator.of(config);

                    assertThat(generator.opportunities()).allSatisfy(o -> o.requireConformsTo(generator.process()));
                });
    }
}
