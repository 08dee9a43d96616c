package org.crmkit.examples.distributed;

import com.hazelcast.aggregation.Aggregator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.crmkit.core.json.CrmJson;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCells;

/**
 * A Hazelcast aggregator that computes funnel cells where the opportunities live: each
 * partition accumulates the facts of its entries (opportunities stored as crmkit JSON) into
 * cells, and {@link #combine} is the cells' monoid merge, so partial results from any number
 * of partitions and members add up to the cells one machine would compute.
 */
final class CellsAggregator implements Aggregator<Map.Entry<String, String>, FunnelCells> {
    private static final long serialVersionUID = 1L;

    private final QuerySpec spec;
    private transient CellQuery query;
    private transient FunnelCells.Builder pending;
    private transient FunnelCells cells;

    CellsAggregator(QuerySpec spec) {
        this.spec = spec;
        this.cells = FunnelCells.empty();
    }

    @Override
    public void accumulate(Map.Entry<String, String> entry) {
        if (query == null) {
            query = spec.toCellQuery();
        }
        if (pending == null) {
            pending = FunnelCells.builder();
        }
        query.factsOf(CrmJson.readOpportunity(entry.getValue())).ifPresent(pending::add);
    }

    @Override
    public void onAccumulationFinished() {
        flush();
    }

    @Override
    public void combine(Aggregator aggregator) {
        flush();
        CellsAggregator other = (CellsAggregator) aggregator;
        other.flush();
        cells = cells.merge(other.cells);
    }

    @Override
    public FunnelCells aggregate() {
        flush();
        return cells;
    }

    private void flush() {
        if (cells == null) {
            cells = FunnelCells.empty();
        }
        if (pending != null) {
            cells = cells.merge(pending.build());
            pending = null;
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        flush();
        out.defaultWriteObject();
        CellsCodec.write(cells, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        cells = CellsCodec.read(in);
    }
}
