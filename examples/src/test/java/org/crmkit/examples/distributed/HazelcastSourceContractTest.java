package org.crmkit.examples.distributed;

import com.hazelcast.map.IMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.FunnelSourceContract;
import org.junit.jupiter.api.AfterAll;

/** The source contract on a three-member Hazelcast cluster: a map per source, stats merged across members. */
class HazelcastSourceContractTest extends FunnelSourceContract {
    private final DistributedFunnel cluster = DistributedFunnel.start(3);
    private final AtomicInteger maps = new AtomicInteger();

    @Override
    protected FunnelSource sourceOf(SalesProcess process, List<Opportunity> opportunities) {
        IMap<String, StoredOpportunity> map = cluster.members().get(0)
                .getMap(DistributedFunnel.MAP + "-contract-" + maps.incrementAndGet());
        HazelcastFunnelSource.load(map, opportunities);
        return new HazelcastFunnelSource(map);
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Override
    protected boolean reportsHistoryStarts() {
        return false; // the example's cluster source does not count them (the engine then says nothing)
    }
}
