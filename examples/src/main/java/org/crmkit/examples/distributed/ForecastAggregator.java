package org.crmkit.examples.distributed;

import com.hazelcast.aggregation.Aggregator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.funnel.spi.ForecastCell;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * A Hazelcast aggregator that computes the forecast's per-owner stats where the opportunities
 * live: each partition puts its entries into their cells by the query's definition
 * ({@link ForecastQuery#cellOf(Opportunity)} and {@link ForecastQuery#valueOf}, what
 * {@link ForecastReference#aggregate} does), and {@link #combine} adds the partial answers owner
 * by owner ({@link OwnerAggregates#plus}): the cells' sums are exact integers, so any split into
 * partitions and members, combined in any order, gives the answer of one machine. Only the
 * query ({@link ForecastSpec}) and the aggregate ({@link ForecastCodec}) are serialized.
 */
final class ForecastAggregator
        implements Aggregator<Map.Entry<String, StoredOpportunity>, OwnerAggregates<ForecastStats>> {
    private static final long serialVersionUID = 1L;

    private final ForecastSpec spec;
    private transient ForecastQuery query;
    private transient Map<ManagerId, ForecastStats.Builder> pending;
    private transient OwnerAggregates<ForecastStats> done;

    ForecastAggregator(ForecastSpec spec) {
        this.spec = spec;
    }

    @Override
    public void accumulate(Map.Entry<String, StoredOpportunity> entry) {
        if (query == null) {
            query = spec.toQuery();
        }
        Opportunity o = entry.getValue().opportunity();
        Optional<ForecastCell> cell = query.cellOf(o);
        if (cell.isPresent()) {
            if (pending == null) {
                pending = new HashMap<>();
            }
            pending.computeIfAbsent(o.owner(), k -> ForecastStats.builder())
                    .add(cell.get(), ForecastQuery.valueOf(o, cell.get()));
        }
    }

    @Override
    public void onAccumulationFinished() {
        flush();
    }

    @Override
    public void combine(Aggregator aggregator) {
        flush();
        ForecastAggregator other = (ForecastAggregator) aggregator;
        other.flush();
        done = done.plus(other.done);
    }

    @Override
    public OwnerAggregates<ForecastStats> aggregate() {
        flush();
        return done;
    }

    private void flush() {
        if (done == null) {
            done = OwnerAggregates.empty(1);
        }
        if (pending != null) {
            OwnerAggregates.Builder<ForecastStats> b = OwnerAggregates.builder(1);
            pending.forEach((owner, stats) -> b.add(owner, 0, stats.build()));
            done = done.plus(b.build());
            pending = null;
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        flush();
        out.defaultWriteObject();
        ForecastCodec.write(done, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        done = ForecastCodec.readStats(in);
    }
}
