package org.crmkit.examples.distributed;

import com.hazelcast.aggregation.Aggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;

/** A Hazelcast aggregator collecting, on the members, the ids behind one funnel figure (drill-down). */
final class IdsAggregator implements Aggregator<Map.Entry<String, StoredOpportunity>, List<String>> {
    private static final long serialVersionUID = 1L;

    private final QuerySpec spec;
    private final FunnelMeasure measure;
    private final int stage;
    private final ArrayList<String> ids = new ArrayList<>();
    private transient AggregateQuery query;

    IdsAggregator(QuerySpec spec, FunnelMeasure measure, int stage) {
        this.spec = spec;
        this.measure = measure;
        this.stage = stage;
    }

    @Override
    public void accumulate(Map.Entry<String, StoredOpportunity> entry) {
        if (query == null) {
            query = spec.toQuery();
        }
        if (FunnelReference.matches(query, entry.getValue().opportunity(), measure, stage)) {
            ids.add(entry.getKey());
        }
    }

    @Override
    public void combine(Aggregator aggregator) {
        ids.addAll(((IdsAggregator) aggregator).ids);
    }

    @Override
    public List<String> aggregate() {
        return List.copyOf(ids);
    }
}
