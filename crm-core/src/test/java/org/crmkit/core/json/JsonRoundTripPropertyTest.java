package org.crmkit.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.RandomOpportunities;
import org.crmkit.core.SalesProcesses;
import org.junit.jupiter.api.Test;

class JsonRoundTripPropertyTest {

    @Test
    void anyOpportunityReadsBackEqual() {
        qt().withExamples(500).forAll(RandomOpportunities.opportunities()).checkAssert(opp -> {
            String json = CrmJson.write(opp);
            Opportunity back = CrmJson.readOpportunity(json);
            assertThat(back).isEqualTo(opp);
            // equal values must also give the same text, or stored JSON would churn
            assertThat(CrmJson.write(back)).isEqualTo(json);
        });
    }

    @Test
    void anyDatasetOfRandomOpportunitiesReadsBackEqual() {
        qt().withExamples(25).forAll(longs().all(), integers().between(0, 30)).checkAssert((seed, count) -> {
            SplittableRandom random = new SplittableRandom(seed);
            List<Opportunity> opps = new ArrayList<>();
            Set<OpportunityId> ids = new HashSet<>();
            for (int i = 0; i < count; i++) {
                Opportunity opp = RandomOpportunities.opportunity(random);
                if (ids.add(opp.id())) {
                    opps.add(opp);
                }
            }
            Dataset d = new Dataset(List.of(SalesProcesses.corporateSales()), OrgStructure.empty(), List.of(), opps);
            assertThat(CrmJson.readDataset(CrmJson.write(d))).isEqualTo(d);
        });
    }
}
