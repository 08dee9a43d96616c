package org.crmkit.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.OpportunityQuery;

/**
 * Kills a writing child JVM ({@link CrashWriter}) at random moments with
 * {@link Process#destroyForcibly()} (SIGKILL: no shutdown hook, no flush), reopens the store
 * after each kill and checks it: it opens and streams, no opportunity is torn (its children
 * are those its title names), every acknowledged insert and update is there at its version or
 * later, and every acknowledged delete is gone. One store file lives through all the kills,
 * so recovery is tested on a growing store, again and again.
 */
final class CrashHarness {
    /** The outcome of a series of kills. */
    record Outcome(String spec, int writers, int kills, long acknowledged, long lost, long torn, int unreadable,
            int childErrors, List<String> problems, long stored) {
        boolean clean() {
            return lost == 0 && torn == 0 && unreadable == 0 && childErrors == 0;
        }

        @Override
        public String toString() {
            return spec + " with " + writers + " writer(s): " + kills + " kills, " + acknowledged
                    + " acknowledged writes, " + lost + " lost, " + torn + " torn, " + unreadable
                    + " unreadable, " + childErrors + " child errors, " + stored + " opportunities stored"
                    + (problems.isEmpty() ? "" : "; first problems: " + problems.subList(0, Math.min(5, problems.size())));
        }
    }

    private final String spec;
    private final int writers;
    private final Path dir;
    private final Random random;
    // what the store acknowledged, by id: the highest acknowledged version, or -1 for deleted
    private final Map<String, Long> acked = new HashMap<>();
    private final Set<String> deleteIntents = new HashSet<>();
    // what the children printed about each id (run and line), so a loss names the writes behind it
    private final Map<String, List<String>> trail = new HashMap<>();
    private int runs;

    CrashHarness(String spec, int writers, Path dir, long seed) {
        this.spec = spec;
        this.writers = writers;
        this.dir = dir;
        this.random = new Random(seed);
    }

    Outcome run(int kills) {
        Path db = dir.resolve("crash-" + spec + "-" + writers);
        long acknowledged = 0;
        long lost = 0;
        long torn = 0;
        int unreadable = 0;
        int childErrors = 0;
        long stored = 0;
        List<String> problems = new ArrayList<>();
        int performed = 0;
        for (int k = 0; k < kills; k++) {
            performed++;
            ChildRun child = runChild(db, random.nextLong() & Long.MAX_VALUE);
            acknowledged += child.acks;
            if (child.error != null) {
                childErrors++;
                problems.add("kill " + k + ": child failed: " + child.error);
            }
            Check check = check(db);
            if (check.failure != null) {
                unreadable++;
                problems.add("kill " + k + ": store unreadable: " + check.failure);
                break; // nothing later can be checked on a broken store
            }
            lost += check.lost;
            torn += check.torn;
            stored = check.stored;
            for (String problem : check.problems) {
                problems.add("kill " + k + ": " + problem);
            }
        }
        return new Outcome(spec, writers, performed, acknowledged, lost, torn, unreadable, childErrors,
                List.copyOf(problems), stored);
    }

    private record ChildRun(long acks, String error) {
    }

    private ChildRun runChild(Path db, long seed) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                spec, db.toString(), Integer.toString(writers), Long.toString(seed));
        pb.redirectError(dir.resolve("child-stderr.txt").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // most kills land while writes are in flight; some during start-up and recovery
        long killAfterMs = random.nextInt(10) == 0 ? random.nextInt(1500) : -1;
        long writingMs = 150 + random.nextInt(1200);
        LineReader out = new LineReader(p.getInputStream());
        Thread reader = new Thread(out, "crash-child-reader");
        reader.start();
        long started = System.nanoTime();
        try {
            while (p.isAlive()) {
                long elapsed = (System.nanoTime() - started) / 1_000_000;
                if (killAfterMs >= 0 && elapsed >= killAfterMs) {
                    break;
                }
                if (killAfterMs < 0 && out.readyAtMs() >= 0 && elapsed - out.readyAtMs() >= writingMs) {
                    break;
                }
                if (elapsed > 60_000) {
                    break; // a child that never gets ready is killed too, and reported below
                }
                Thread.sleep(5);
            }
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        long acks = 0;
        String error = null;
        int run = runs++;
        List<String> lines = out.lines();
        try {
            // every child's output is kept beside the database, for a failure to be read afterwards
            Files.write(dir.resolve("child-" + run + "-stdout.txt"), lines, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length > 1 && !parts[0].equals("READY")) {
                trail.computeIfAbsent(parts[1], k -> new ArrayList<>()).add("run " + run + ": " + line);
            }
            switch (parts[0]) {
                case "ACK" -> {
                    acks++;
                    acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    deleteIntents.remove(parts[1]);
                }
                case "INTENT-DEL" -> deleteIntents.add(parts[1]);
                case "DEL" -> {
                    acks++;
                    acked.put(parts[1], -1L);
                    deleteIntents.remove(parts[1]);
                }
                case "READY" -> { }
                default -> error = error == null ? line : error;
            }
        }
        if (out.readyAtMs() < 0 && killAfterMs < 0) {
            error = error == null ? "never got ready (see child-stderr.txt)" : error;
        }
        return new ChildRun(acks, error);
    }

    private record Check(long lost, long torn, long stored, List<String> problems, String failure) {
    }

    private Check check(Path db) {
        Map<String, Opportunity> byId = new HashMap<>();
        try (CrmStorage store = CrashStores.open(spec, db);
                Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
            all.forEach(o -> byId.put(o.id().value(), o));
        } catch (RuntimeException e) {
            return new Check(0, 0, 0, List.of(), e.toString());
        }
        long lost = 0;
        long torn = 0;
        List<String> problems = new ArrayList<>();
        for (Opportunity o : byId.values()) {
            String expected = "v" + o.version() + ":" + o.participants().size() + ":" + o.history().size();
            if (!o.title().equals(expected)) {
                torn++;
                problems.add("torn " + o.id().value() + ": title " + o.title() + ", holds " + expected);
            }
        }
        for (Map.Entry<String, Long> e : acked.entrySet()) {
            Opportunity o = byId.get(e.getKey());
            if (e.getValue() < 0) {
                if (o != null) {
                    lost++;
                    problems.add("deleted " + e.getKey() + " is back at version " + o.version());
                }
            } else if (o == null) {
                if (deleteIntents.remove(e.getKey())) {
                    e.setValue(-1L); // a delete committed before its acknowledgement was printed
                } else {
                    lost++;
                    problems.add("lost " + e.getKey() + " (acknowledged version " + e.getValue() + "; printed "
                            + trail.getOrDefault(e.getKey(), List.of()) + ")");
                }
            } else if (o.version() < e.getValue()) {
                lost++;
                problems.add("lost update of " + e.getKey() + ": version " + o.version() + " < acknowledged "
                        + e.getValue() + " (printed " + trail.getOrDefault(e.getKey(), List.of()) + ")");
            }
        }
        deleteIntents.clear();
        return new Check(lost, torn, byId.size(), problems, null);
    }

    /** Collects only whole lines: a line the kill cut off before its newline was never acknowledged. */
    private static final class LineReader implements Runnable {
        private final InputStream in;
        private final List<String> lines = new ArrayList<>();
        private final long started = System.nanoTime();
        private volatile long readyAtMs = -1;

        LineReader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            StringBuilder line = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    String chunk = new String(buf, 0, n, StandardCharsets.US_ASCII);
                    for (int i = 0; i < chunk.length(); i++) {
                        char c = chunk.charAt(i);
                        if (c == '\n') {
                            String l = line.toString();
                            synchronized (lines) {
                                lines.add(l);
                            }
                            if (l.equals("READY")) {
                                readyAtMs = (System.nanoTime() - started) / 1_000_000;
                            }
                            line.setLength(0);
                        } else {
                            line.append(c);
                        }
                    }
                }
            } catch (IOException e) {
                // the pipe closes with the killed process
            }
        }

        long readyAtMs() {
            return readyAtMs;
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
