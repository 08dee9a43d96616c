package org.crmkit.jdbc;

import java.nio.file.Path;
import org.crmkit.core.spi.CrmStorage;

/**
 * The store configurations the crash test can run against, by name: {@code default} is
 * {@link CrmStore#embedded(Path)} (what the README's users get); the others are the
 * alternatives measured before choosing it, kept so the measurement can be repeated.
 */
final class CrashStores {
    private CrashStores() {
    }

    static CrmStorage open(String spec, Path path) {
        String base = spec.endsWith("-serial") ? spec.substring(0, spec.length() - "-serial".length()) : spec;
        return switch (base) {
            case "default" -> CrmStore.embedded(path);
            case "h2" -> CrmStore.h2("jdbc:h2:file:" + path.toAbsolutePath());
            case "h2-delay0" -> CrmStore.h2("jdbc:h2:file:" + path.toAbsolutePath() + ";WRITE_DELAY=0");
            default -> throw new IllegalArgumentException("unknown store spec " + spec);
        };
    }

    /** Whether the writers of this spec take turns (one write transaction at a time). */
    static boolean serial(String spec) {
        return spec.endsWith("-serial");
    }
}
