package org.crmkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import org.crmkit.core.Opportunity;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.testkit.DatasetGenerator;

/**
 * Measures the heap the funnel's columnar form retains per opportunity: heap used after a
 * full GC before and after streaming the generated opportunities into
 * {@link OpportunityColumns}, and again after the funnel of the company and all its units
 * (whose first scan derives each row's end state once per process). Run it with the heap you want to prove, e.g.
 * {@code java -Xms4g -Xmx4g -cp crm-benchmarks/target/benchmarks.jar org.crmkit.bench.ColumnFootprint 10000000}.
 * With a second argument {@code objects} it measures a materialised {@code List<Opportunity>}
 * of the same size instead, for comparison; with {@code history}, the same list with up to 8
 * random field changes per deal (what the as-of reconstruction and the pipeline waterfall read).
 */
public final class ColumnFootprint {
    private ColumnFootprint() {
    }

    /**
     * Entry point.
     *
     * @param args the number of opportunities, optionally followed by {@code objects} or {@code history}
     */
    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        boolean history = args.length > 1 && "history".equals(args[1]);
        boolean objects = history || args.length > 1 && "objects".equals(args[1]);
        DatasetGenerator gen = BenchData.generator(rows);
        gen.orgStructure();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long start = System.nanoTime();
        Object held;
        int size;
        if (objects) {
            List<Opportunity> list;
            if (history) {
                // up to 8 random field changes per deal, from its creation to the generator's now
                List<org.crmkit.core.ManagerId> managers = new java.util.ArrayList<>(BenchData.managerIndex(gen).keySet());
                java.util.Random r = new java.util.Random(2026);
                list = gen.opportunities().map(o -> org.crmkit.testkit.FieldHistories.withRandomChanges(o, r,
                        o.createdAt(), gen.asOf(), 8, managers)).toList();
            } else {
                list = gen.opportunities().toList();
            }
            held = list;
            size = list.size();
        } else {
            OpportunityColumns columns = OpportunityColumns.of(gen.opportunities());
            held = columns;
            size = columns.size();
        }
        long buildMillis = (System.nanoTime() - start) / 1_000_000;
        long after = usedAfterGc(memory);
        long retained = after - before;
        System.out.printf("form=%s rows=%d maxHeap=%dMiB built in %d ms; retained %d MiB = %.1f bytes per opportunity%n",
                history ? "List<Opportunity> with field history" : objects ? "List<Opportunity>" : "OpportunityColumns",
                size,
                Runtime.getRuntime().maxMemory() >> 20, buildMillis, retained >> 20, (double) retained / size);
        if (held instanceof OpportunityColumns columns) {
            FunnelEngine engine = BenchData.engine(gen, columns);
            long queried = System.nanoTime();
            int nodes = engine.funnels(BenchData.companyQuery(gen), BenchData.units(gen.orgStructure())).size();
            long queryMillis = (System.nanoTime() - queried) / 1_000_000;
            long afterQuery = usedAfterGc(memory) - before;
            System.out.printf("after the first funnel of %d nodes (%d ms): retained %d MiB = %.1f bytes per opportunity%n",
                    nodes, queryMillis, afterQuery >> 20, (double) afterQuery / size);
        }
        java.lang.ref.Reference.reachabilityFence(held);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
