package org.crmkit.jdbc;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.ContactId;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.Attitude;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Participant;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.UpsertMode;
import org.crmkit.core.spi.UpsertResult;
import org.crmkit.core.money.Amounts;
import org.crmkit.testkit.Fixtures;

/**
 * The child process of the crash test: opens a store and writes until it is killed, printing
 * one line per acknowledged write ({@code ACK <id> <version> <write>}, {@code DEL <id>}) after the
 * store's call returned, and {@code INTENT-DEL <id>} before a delete (a delete that committed
 * but was not acknowledged is then no loss). Each opportunity's title encodes what it must hold
 * ({@code v<version>:<participants>:<history entries>}), so the parent can tell a torn
 * opportunity (children from another version, or missing) from a whole one.
 *
 * <p>Arguments: store spec (see {@link CrashStores}), database path, writer threads, seed.
 */
public final class CrashWriter {
    private static final PrintStream OUT = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 12), true);

    private CrashWriter() {
    }

    /**
     * Runs the writers until the process is killed.
     *
     * @param args spec, path, writers, seed
     * @throws Exception on an unexpected failure (printed, exit code 3)
     */
    public static void main(String[] args) throws Exception {
        String spec = args[0];
        Path path = Path.of(args[1]);
        int writers = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        CrmStorage store = CrashStores.open(spec, path);
        store.processes().save(Fixtures.process());
        Map<Integer, List<Opportunity>> own = new HashMap<>();
        for (int w = 0; w < writers; w++) {
            own.put(w, new ArrayList<>());
        }
        try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            all.forEach(o -> {
                int w = writerOf(o.id().value());
                if (w >= 0 && w < writers) {
                    own.get(w).add(o);
                }
            });
        }
        OUT.println("READY");
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Random random = new Random(seed * 31 + w);
            Object lock = CrashStores.serial(spec) ? CrashWriter.class : new Object();
            Thread t = new Thread(() -> write(store, writer, random, own.get(writer), seed, lock), "writer-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    static int writerOf(String id) {
        // ids are w<writer>-<seed>-<n>
        int dash = id.indexOf('-');
        return id.startsWith("w") && dash > 1 ? Integer.parseInt(id.substring(1, dash)) : -1;
    }

    private static void write(CrmStorage store, int writer, Random random, List<Opportunity> own, long seed,
            Object lock) {
        int[] next = {0};
        ManagerId owner = ManagerId.of("m-" + writer);
        while (true) {
            try {
                synchronized (lock) {
                    writeOnce(store, writer, random, own, seed, owner, next);
                }
            } catch (ConcurrentUpdateException e) {
                // not expected: every writer owns its ids
                OUT.println("CONFLICT " + e.getMessage());
            } catch (RuntimeException e) {
                OUT.println("ERROR " + e);
                e.printStackTrace(System.err);
                System.exit(3);
            }
        }
    }

    private static void writeOnce(CrmStorage store, int writer, Random random, List<Opportunity> own, long seed,
            ManagerId owner, int[] next) {
        int op = random.nextInt(100);
        if (op < 35 || own.isEmpty()) {
            Opportunity o = store.opportunities().insert(content(Fixtures.minimal(
                    "w" + writer + "-" + seed + "-" + next[0]++, owner), 1, random));
            own.add(o);
            OUT.println("ACK " + o.id().value() + " " + o.version() + " insert");
        } else if (op < 45) {
            List<Opportunity> batch = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                batch.add(content(Fixtures.minimal("w" + writer + "-" + seed + "-" + next[0]++, owner), 1, random));
            }
            store.opportunities().insertAll(batch);
            for (Opportunity o : batch) {
                own.add(o.toBuilder().version(1).build());
                OUT.println("ACK " + o.id().value() + " 1 insertAll");
            }
        } else if (op < 52) {
            // a sync: a few of its own deals changed, one as stored, and a new one
            Map<String, Integer> at = new HashMap<>();
            List<Opportunity> batch = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int i = random.nextInt(own.size());
                Opportunity current = own.get(i);
                if (at.putIfAbsent(current.id().value(), i) == null) {
                    batch.add(k == 0 ? current : content(current.toBuilder(), current.version() + 1, random));
                }
            }
            batch.add(content(Fixtures.minimal("w" + writer + "-" + seed + "-" + next[0]++, owner), 1, random));
            UpsertResult r = store.opportunities().upsertAll(batch, UpsertMode.CHECK_VERSIONS);
            if (!r.conflicts().isEmpty()) {
                OUT.println("CONFLICT " + r.conflicts());
            }
            // the store must decide as the writer expects: one new deal, the changed ones replaced
            long changed = batch.stream().filter(g -> at.containsKey(g.id().value())
                    && !g.sameContentAs(own.get(at.get(g.id().value())))).count();
            if (r.inserted() != 1 || r.updated() != changed) {
                OUT.println("UNEXPECTED upsert of " + batch.size() + ": " + r + ", expected 1 inserted and "
                        + changed + " updated");
            }
            for (Opportunity given : batch) {
                Integer i = at.get(given.id().value());
                if (i == null) {
                    Opportunity stored = given.toBuilder().version(1).build();
                    own.add(stored);
                    OUT.println("ACK " + stored.id().value() + " 1 upsert-new");
                } else if (!given.sameContentAs(own.get(i))) {
                    Opportunity stored = given.toBuilder().version(given.version() + 1).build();
                    own.set(i, stored);
                    OUT.println("ACK " + stored.id().value() + " " + stored.version() + " upsert");
                }
            }
        } else if (op < 92) {
            int i = random.nextInt(own.size());
            Opportunity current = own.get(i);
            Opportunity stored = store.opportunities().update(content(current.toBuilder(), current.version() + 1,
                    random));
            own.set(i, stored);
            OUT.println("ACK " + stored.id().value() + " " + stored.version() + " update");
        } else {
            Opportunity victim = own.remove(random.nextInt(own.size()));
            OUT.println("INTENT-DEL " + victim.id().value());
            store.opportunities().delete(victim.id(), victim.version());
            OUT.println("DEL " + victim.id().value());
        }
    }

    /** The content a write stores: the title says which version and how many children it has. */
    static Opportunity content(Opportunity.Builder b, long version, Random random) {
        int participants = random.nextInt(4);
        int history = random.nextInt(6);
        List<Participant> ps = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            ps.add(new Participant(ContactId.of("c-" + version + "-" + i), "Contact " + i, DecisionRole.INFLUENCER,
                    Attitude.NEUTRAL));
        }
        List<HistoryEntry> hs = new ArrayList<>();
        for (int i = 0; i < history; i++) {
            hs.add(new HistoryEntry("h-" + version + "-" + i, HistoryKind.COMMENT, Fixtures.CREATED_AT.plusSeconds(i),
                    Fixtures.OWNER, "note " + i, "body " + version));
        }
        return b.title("v" + version + ":" + participants + ":" + history)
                .amount(Amounts.of(random.nextInt(1_000_000) + ".25", "EUR"))
                .participants(ps)
                .history(hs)
                .build();
    }
}
