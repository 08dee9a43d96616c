package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/examples.md true: its BOM snippet names published artifacts, its commands real classes. */
class DocsTest {
    @Test
    void everyCrmkitArtifactInTheSnippetIsInTheBom() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "examples.md"));
        String bom = Files.readString(Path.of("..", "crm-bom", "pom.xml"));
        Matcher m = Pattern.compile("<groupId>org.crmkit</groupId>\\s*<artifactId>([^<]+)</artifactId>").matcher(doc);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).contains("crm-bom", "crm-persistence-jdbc", "crm-funnel", "crm-forecast");
        named.stream().filter(a -> !a.equals("crm-bom"))
                .forEach(a -> assertThat(bom).as("BOM entry for %s", a).contains("<artifactId>" + a + "</artifactId>"));
    }

    @Test
    void everyMainClassTheDocsRunExists() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "examples.md"));
        Matcher m = Pattern.compile("-Dexec\\.mainClass=([\\w.]+)").matcher(doc);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(Class.forName(m.group(1)).getMethod("main", String[].class)).isNotNull();
        }
        assertThat(found).isEqualTo(3);
    }
}
