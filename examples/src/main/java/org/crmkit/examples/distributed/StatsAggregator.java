package org.crmkit.examples.distributed;

import com.hazelcast.aggregation.Aggregator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.crmkit.funnel.spi.FunnelReference;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * A Hazelcast aggregator that computes the funnel's per-owner stats where the opportunities
 * live: each partition feeds its entries (opportunity objects, parsed once when stored) to a
 * {@link FunnelReference#accumulator accumulator} of the query, and {@link #combine} adds the
 * partial answers owner by owner ({@link OwnerAggregates#plus}), so any number of partitions and
 * members add up to the answer one machine would compute.
 */
final class StatsAggregator implements Aggregator<Map.Entry<String, StoredOpportunity>, OwnerAggregates<FunnelStats>> {
    private static final long serialVersionUID = 2L;

    private final QuerySpec spec;
    private transient FunnelReference.Accumulator pending;
    private transient OwnerAggregates<FunnelStats> done;

    StatsAggregator(QuerySpec spec) {
        this.spec = spec;
    }

    @Override
    public void accumulate(Map.Entry<String, StoredOpportunity> entry) {
        if (pending == null) {
            pending = FunnelReference.accumulator(spec.toQuery());
        }
        pending.add(entry.getValue().opportunity());
    }

    @Override
    public void onAccumulationFinished() {
        flush();
    }

    @Override
    public void combine(Aggregator aggregator) {
        flush();
        StatsAggregator other = (StatsAggregator) aggregator;
        other.flush();
        done = done.plus(other.done);
    }

    @Override
    public OwnerAggregates<FunnelStats> aggregate() {
        flush();
        return done;
    }

    private void flush() {
        if (done == null) {
            done = OwnerAggregates.empty(spec.toQuery().bucketCount());
        }
        if (pending != null) {
            done = done.plus(pending.result());
            pending = null;
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        flush();
        out.defaultWriteObject();
        StatsCodec.write(done, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        done = StatsCodec.read(in);
    }
}
