package org.crmkit.examples.distributed;

import com.hazelcast.map.IMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.testkit.ForecastSourceContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The forecast source contract on a three-member Hazelcast cluster: a map per source, the
 * per-owner forecast stats grouped on the members and merged across them, the deals collected
 * there.
 */
class HazelcastForecastSourceContractTest extends ForecastSourceContract {
    private final DistributedFunnel cluster = DistributedFunnel.start(3);
    private final AtomicInteger maps = new AtomicInteger();

    @Override
    protected ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities) {
        IMap<String, StoredOpportunity> map = cluster.members().get(0)
                .getMap(DistributedFunnel.MAP + "-forecast-contract-" + maps.incrementAndGet());
        HazelcastFunnelSource.load(map, opportunities);
        return new HazelcastFunnelSource(map);
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }
}
