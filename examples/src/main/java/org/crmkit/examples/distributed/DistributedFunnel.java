package org.crmkit.examples.distributed;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.core.Dataset;
import org.crmkit.core.Period;
import org.crmkit.examples.TrainingCompany;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.spi.FunnelSource;

/**
 * The path past one machine: the training company's opportunities are spread over a
 * Hazelcast cluster (here several members in one JVM, on the loopback interface only), the
 * funnel's per-owner stats are aggregated on the members, and the same {@link FunnelEngine}
 * answers from them. The result equals the one-machine funnel because the stats add up owner by
 * owner in any order: where and in which order partial answers are added does not matter. The
 * map keeps its values as objects, so a query parses no JSON.
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=org.crmkit.examples.distributed.DistributedFunnel}.
 */
public final class DistributedFunnel implements AutoCloseable {
    /** The name of the map of opportunities (maps whose name starts with it keep objects too). */
    public static final String MAP = "crmkit-opportunities";

    private final List<HazelcastInstance> members;

    private DistributedFunnel(List<HazelcastInstance> members) {
        this.members = List.copyOf(members);
    }

    /**
     * Starts a local cluster: members that find each other over TCP on 127.0.0.1 only (no
     * multicast, no phone-home), under a cluster name of their own.
     *
     * @param size the number of members, at least 1
     * @return the running cluster; close it to shut the members down
     */
    public static DistributedFunnel start(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + ": at least one member");
        }
        String cluster = "crmkit-example-" + UUID.randomUUID();
        List<HazelcastInstance> members = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                members.add(Hazelcast.newHazelcastInstance(config(cluster, size)));
            }
        } catch (RuntimeException e) {
            members.forEach(HazelcastInstance::shutdown);
            throw e;
        }
        return new DistributedFunnel(members);
    }

    private static Config config(String cluster, int size) {
        Config c = new Config();
        c.setClusterName(cluster);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.partition.count", "31");
        // values stay objects on the members: an aggregation reads them without deserializing
        c.addMapConfig(new MapConfig(MAP + "*").setInMemoryFormat(InMemoryFormat.OBJECT));
        // loopback only: the members never listen on or look for an outside interface
        c.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        c.setProperty("hazelcast.socket.bind.any", "false");
        // a member looks for the others on as many ports as there are members, plus slack
        c.setProperty("hazelcast.tcp.join.port.try.count", Integer.toString(size + 2));
        c.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(size + 20);
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        return c;
    }

    /**
     * The members.
     *
     * @return the running members
     */
    public List<HazelcastInstance> members() {
        return members;
    }

    /**
     * The cluster's map of opportunities by id.
     *
     * @return the map
     */
    public IMap<String, StoredOpportunity> opportunities() {
        return members.get(0).getMap(MAP);
    }

    /**
     * A funnel engine over the cluster's opportunities.
     *
     * @param data the dataset whose org structure scopes the queries
     * @return the engine
     */
    public FunnelEngine engine(Dataset data) {
        return engine(data, new HazelcastFunnelSource(opportunities()));
    }

    /**
     * A funnel engine over any source, configured like the scenario's.
     *
     * @param data the dataset
     * @param source the source of per-owner stats
     * @return the engine
     */
    public static FunnelEngine engine(Dataset data, FunnelSource source) {
        return FunnelEngine.builder().org(data.orgStructure()).source(source).rates(TrainingCompany.rates())
                .calendar(TrainingCompany.CALENDAR)
                .clock(Clock.fixed(TrainingCompany.AS_OF, TrainingCompany.ZONE)).build();
    }

    @Override
    public void close() {
        // One orderly shutdown of the whole cluster: members leaving one by one would each
        // make the others migrate partitions and complain about lost connections.
        members.get(0).getCluster().shutdown();
    }

    /**
     * Runs the example on a cluster of three members.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        run(3, System.out);
        // Hazelcast's shutdown leaves no threads behind, but exec:java should not wait for any.
    }

    static FunnelResult[] run(int size, PrintStream out) {
        Dataset data = TrainingCompany.build(42);
        try (DistributedFunnel cluster = start(size)) {
            HazelcastFunnelSource.load(cluster.opportunities(), data.opportunities());
            out.println("Cluster of " + cluster.members().size() + " members holds "
                    + cluster.opportunities().size() + " opportunities; owned entries per member:");
            for (HazelcastInstance m : cluster.members()) {
                out.println("  " + m.getCluster().getLocalMember().getAddress() + ": "
                        + m.getMap(MAP).getLocalMapStats().getOwnedEntryCount());
            }
            FunnelQuery query = FunnelQuery.builder(data.processes().get(0)).nodes(TrainingCompany.company())
                    .period(Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)))
                    .reportingCurrency("EUR").build();
            FunnelResult distributed = cluster.engine(data).funnel(query);
            FunnelResult local = engine(data, OpportunityColumns.of(data.opportunities().stream())).funnel(query);
            out.println();
            out.println("Funnel aggregated on the cluster:");
            out.println(distributed);
            out.println();
            out.println(distributed.equals(local) ? "Equal to the funnel computed on one machine."
                    : "DIFFERENT from the funnel computed on one machine:\n" + local);
            return new FunnelResult[] {distributed, local};
        }
    }
}
