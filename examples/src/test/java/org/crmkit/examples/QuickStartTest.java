package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QuickStartTest {
    @Test
    void snippetPrintsWhatTheReadmePromises() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String printed = QuickStart.guidance();
        assertThat(printed).isEqualTo(
                "Qualification (determine potential): do 'Establish the budget', then move to Key contacts");
        assertThat(readme).contains("// " + printed);
    }
}
