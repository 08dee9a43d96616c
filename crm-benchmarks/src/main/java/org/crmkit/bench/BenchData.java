package org.crmkit.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageHistory;
import org.crmkit.core.UnitId;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;

/**
 * The dataset every benchmark shares: the seeded testkit generator with thousands of
 * managers in a company → departments → divisions → groups tree, and the helpers that turn
 * it into what each contender reads (engine queries, primitive columns, unit member lists).
 */
final class BenchData {
    /** Managers in the benchmark company. */
    static final int MANAGERS = 2_000;
    /** Departments × divisions per department × groups per division: 125 units below the company. */
    static final int DEPARTMENTS = 5;
    static final int DIVISIONS = 4;
    static final int GROUPS = 5;

    private BenchData() {
    }

    /**
     * The generator of a size.
     *
     * @param rows the number of opportunities
     * @return the generator (lazy; nothing is materialised)
     */
    static DatasetGenerator generator(long rows) {
        return DatasetGenerator.of(GeneratorConfig.builder()
                .opportunities(rows)
                .managers(MANAGERS)
                .hierarchy(DEPARTMENTS, DIVISIONS, GROUPS)
                .build());
    }

    /**
     * The generator of a size with open opportunities only.
     *
     * @param rows the number of opportunities
     * @return the generator
     */
    static DatasetGenerator openOnlyGenerator(long rows) {
        return DatasetGenerator.of(GeneratorConfig.builder()
                .opportunities(rows)
                .managers(MANAGERS)
                .hierarchy(DEPARTMENTS, DIVISIONS, GROUPS)
                .outcomeShares(0, 0, 1)
                .build());
    }

    /**
     * Every unit of the org structure, the company first.
     *
     * @param org the structure
     * @return the units
     */
    static List<UnitId> units(OrgStructure org) {
        List<UnitId> out = new ArrayList<>();
        for (OrgUnit u : org.units()) {
            out.add(u.id());
        }
        out.sort(null);
        out.remove(UnitId.of("company"));
        out.add(0, UnitId.of("company"));
        return out;
    }

    /**
     * A funnel engine over a source with the generator's org, rates and a clock fixed at the
     * snapshot.
     *
     * @param gen the generator
     * @param source the per-owner stats
     * @return the engine
     */
    static FunnelEngine engine(DatasetGenerator gen, FunnelSource source) {
        return engine(gen, source, true);
    }

    /**
     * A funnel engine as {@link #engine(DatasetGenerator, FunnelSource)}, optionally summing
     * the nodes of a roll-up on the calling thread only.
     *
     * @param gen the generator
     * @param source the per-owner stats
     * @param parallel whether the roll-up may use the common pool
     * @return the engine
     */
    static FunnelEngine engine(DatasetGenerator gen, FunnelSource source, boolean parallel) {
        return builder(gen, source, parallel).build();
    }

    /**
     * The builder of {@link #engine(DatasetGenerator, FunnelSource, boolean)}, for an engine
     * with more settings (a viewer's visibility).
     *
     * @param gen the generator
     * @param source the per-owner stats
     * @param parallel whether the roll-up may use the common pool
     * @return the builder
     */
    static FunnelEngine.Builder builder(DatasetGenerator gen, FunnelSource source, boolean parallel) {
        return FunnelEngine.builder()
                .org(gen.orgStructure())
                .source(source)
                .rates(gen.exchangeRates())
                .calendar(gen.config().calendar())
                .clock(Clock.fixed(gen.asOf(), ZoneOffset.UTC))
                .parallel(parallel);
    }

    /**
     * A source that only forwards to another one: what a user's own source costs the engine.
     *
     * @param inner the source wrapped
     * @return the delegating source
     */
    static FunnelSource delegating(FunnelSource inner) {
        return new FunnelSource() {
            @Override
            public org.crmkit.funnel.spi.OwnerAggregates<org.crmkit.funnel.spi.FunnelStats> aggregate(
                    org.crmkit.funnel.spi.AggregateQuery query) {
                return inner.aggregate(query);
            }

            @Override
            public java.util.stream.Stream<org.crmkit.core.OpportunityId> ids(org.crmkit.funnel.spi.AggregateQuery query,
                    org.crmkit.funnel.FunnelMeasure measure, int stage) {
                return inner.ids(query, measure, stage);
            }
        };
    }

    /**
     * The funnel of the whole company as of the snapshot over all time (every row counts).
     *
     * @param gen the generator
     * @return the query
     */
    static FunnelQuery companyQuery(DatasetGenerator gen) {
        Instant asOf = gen.asOf();
        return FunnelQuery.builder(gen.process())
                .nodes(UnitId.of("company"))
                .mode(FunnelMode.SNAPSHOT)
                .asOf(asOf)
                .reportingCurrency(gen.config().reportingCurrency())
                .build();
    }

    /**
     * The stage an opportunity counts as having reached in the straightforward funnel: every
     * open stage for a won one, else its furthest open stage.
     *
     * @param opp the opportunity
     * @param process its process
     * @param openStages the number of open stages
     * @return 0..openStages (openStages meaning won)
     */
    static int reachedLevel(Opportunity opp, SalesProcess process, int openStages) {
        return opp.status() == OpportunityStatus.WON ? openStages : StageHistory.furthestOpenStage(opp, process);
    }

    /**
     * The amount of an opportunity in minor units of its own currency, 0 when unknown.
     *
     * @param opp the opportunity
     * @return the minor units
     */
    static long amountMinor(Opportunity opp) {
        return opp.amount().map(Amounts::toMinorUnits).orElse(0L);
    }

    /**
     * Members of each node as indexes into {@link DatasetGenerator#managerIds()}.
     *
     * @param gen the generator
     * @param nodes the nodes
     * @return one index array per node
     */
    static int[][] memberIndexes(DatasetGenerator gen, List<? extends OrgNodeId> nodes) {
        Map<ManagerId, Integer> index = managerIndex(gen);
        int[][] out = new int[nodes.size()][];
        for (int n = 0; n < nodes.size(); n++) {
            Set<ManagerId> members = gen.orgStructure().membersOf(nodes.get(n));
            out[n] = members.stream().mapToInt(index::get).sorted().toArray();
        }
        return out;
    }

    /**
     * Manager id to its position in the generator's list.
     *
     * @param gen the generator
     * @return the index
     */
    static Map<ManagerId, Integer> managerIndex(DatasetGenerator gen) {
        Map<ManagerId, Integer> index = new HashMap<>();
        List<ManagerId> ids = gen.managerIds();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        return index;
    }

    /**
     * The columns of the bare primitive loop: owner index, reached level and amount in minor
     * units, filled from the same opportunities the engine reads.
     */
    static final class PrimitiveColumns implements Consumer<Opportunity> {
        final int[] owner;
        final byte[] level;
        final long[] amount;
        private final Map<ManagerId, Integer> ownerIndex;
        private final SalesProcess process;
        private final int openStages;
        private int size;

        PrimitiveColumns(DatasetGenerator gen, int rows) {
            this.owner = new int[rows];
            this.level = new byte[rows];
            this.amount = new long[rows];
            this.ownerIndex = managerIndex(gen);
            this.process = gen.process();
            this.openStages = process.openStageCount();
        }

        @Override
        public void accept(Opportunity opp) {
            owner[size] = ownerIndex.get(opp.owner());
            level[size] = (byte) reachedLevel(opp, process, openStages);
            amount[size] = amountMinor(opp);
            size++;
        }

        int size() {
            return size;
        }
    }
}
