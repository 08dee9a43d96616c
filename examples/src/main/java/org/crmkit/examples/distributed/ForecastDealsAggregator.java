package org.crmkit.examples.distributed;

import com.hazelcast.aggregation.Aggregator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;

/**
 * A Hazelcast aggregator collecting, on the members, the deals of a forecast drill-down by the
 * rule of {@link ForecastReference#deals}: every opportunity with a cell, or with per-currency
 * minimums only the open ones above their currency's minimum. Only the matching deals come back,
 * written by {@link ForecastCodec} (no opportunity travels).
 */
final class ForecastDealsAggregator implements Aggregator<Map.Entry<String, StoredOpportunity>, List<ForecastDeal>> {
    private static final long serialVersionUID = 1L;

    private final ForecastSpec spec;
    /** Per currency code, the value a deal must exceed; null for every deal. */
    private final TreeMap<String, Long> minValue;
    private transient ForecastQuery query;
    private transient Map<CurrencyUnit, Long> minimums;
    private transient ArrayList<ForecastDeal> deals = new ArrayList<>();

    ForecastDealsAggregator(ForecastSpec spec, Map<CurrencyUnit, Long> minValue) {
        this.spec = spec;
        if (minValue == null) {
            this.minValue = null;
        } else {
            // a currency mapped to null has no minimum, which the reference treats as absent
            this.minValue = new TreeMap<>();
            minValue.forEach((c, v) -> {
                if (v != null) {
                    this.minValue.put(c.getCurrencyCode(), v);
                }
            });
        }
    }

    @Override
    public void accumulate(Map.Entry<String, StoredOpportunity> entry) {
        if (query == null) {
            query = spec.toQuery();
            if (minValue != null) {
                minimums = new java.util.HashMap<>();
                minValue.forEach((c, v) -> minimums.put(org.crmkit.core.money.Amounts.currency(c), v));
            }
        }
        ForecastReference.deals(query, minimums, Stream.of(entry.getValue().opportunity())).forEach(deals::add);
    }

    @Override
    public void combine(Aggregator aggregator) {
        deals.addAll(((ForecastDealsAggregator) aggregator).deals);
    }

    @Override
    public List<ForecastDeal> aggregate() {
        return List.copyOf(deals);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        ForecastCodec.write(deals, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        deals = new ArrayList<>(ForecastCodec.readDeals(in));
    }
}
