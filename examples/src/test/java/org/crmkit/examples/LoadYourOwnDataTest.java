package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.crmkit.funnel.FunnelNotice;
import org.crmkit.funnel.FunnelResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadYourOwnDataTest {
    @TempDir
    Path storeDir;

    @Test
    void theExampleCsvLoadsIntoTheHandComputedCompanyFunnel() {
        FunnelResult company = LoadYourOwnData.load(LoadYourOwnData.exampleData(), storeDir);
        // X01-X09 belong to the three reps of the team list; X10's rep is not on it
        assertThat(company.count()).isEqualTo(9);
        assertThat(company.open()).isEqualTo(4);
        assertThat(company.won()).isEqualTo(3);
        assertThat(company.lost()).isEqualTo(2);
        assertThat(company.wonAmount()).isEqualByComparingTo("6344.00");
        // open: X03 4821 + X04 550 + X06 1100 + X07 55
        assertThat(company.openAmount()).isEqualByComparingTo("6526.00");
        assertThat(company.stage("ENGAGING").reached()).isEqualTo(7);
        assertThat(company.currency()).isEqualTo("USD");
        FunnelNotice outside = company.notice(FunnelNotice.Kind.OWNERS_OUTSIDE_ORG).orElseThrow();
        assertThat(outside.count()).isEqualTo(1);
        assertThat(outside.subjects()).containsExactly("Versie Hillebrand");
        assertThat(LoadYourOwnData.fresh(storeDir)).isEqualTo(storeDir);
        // a second run into a fresh store gives the same funnel
        assertThat(LoadYourOwnData.load(LoadYourOwnData.exampleData(), LoadYourOwnData.fresh(storeDir.resolve("again")))
                .count())
                .isEqualTo(9);
    }

    @Test
    void theReadmeSnippetIsTheExamplesCode() throws Exception {
        String source = Files.readString(Path.of("src/main/java/org/crmkit/examples/LoadYourOwnData.java"));
        String code = source.substring(source.indexOf("// snippet:start") + "// snippet:start".length(),
                source.indexOf("// snippet:end"));
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(normalized(readme)).contains(normalized(code));
    }

    private static String normalized(String text) {
        return List.of(text.split("\n")).stream().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
