package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs and the build true: docs/examples.md's BOM snippet names published artifacts,
 * its commands real classes; the BOM lists exactly the reactor's published modules.
 */
class DocsTest {
    /** The reactor modules that are not published, so not in the BOM. */
    private static final java.util.Set<String> UNPUBLISHED = java.util.Set.of("crm-bom", "examples", "crm-benchmarks");

    private static List<String> all(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theBomListsExactlyThePublishedModulesOfTheReactor() throws Exception {
        String root = Files.readString(Path.of("..", "pom.xml"));
        String bom = Files.readString(Path.of("..", "crm-bom", "pom.xml"));
        List<String> published = all(Pattern.compile("<module>([^<]+)</module>"), root).stream()
                .filter(m -> !UNPUBLISHED.contains(m)).sorted().toList();
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
        List<String> listed = all(Pattern.compile("<groupId>org.crmkit</groupId>\\s*<artifactId>([^<]+)</artifactId>"),
                managed).stream().sorted().toList();

        assertThat(listed).as("the BOM's entries against the reactor's published modules").isEqualTo(published);
        for (String module : published) {
            assertThat(Files.readString(Path.of("..", module, "pom.xml"))).as("%s's artifactId", module)
                    .contains("<artifactId>" + module + "</artifactId>");
        }
    }
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
