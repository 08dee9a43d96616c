package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.core.Dataset;
import org.crmkit.core.UnitId;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.StageFigures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in headless Chromium: the funnel must render with the stage labels
 * and counts of the funnel engine's result, and a screenshot is kept under target/.
 */
class ChromiumReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static SalesReport report;
    private static Path page;

    @BeforeAll
    static void writeReport() {
        Dataset data = TrainingCompany.build(42);
        report = SalesReport.compute(SalesReport.trainingCompany(data.orgStructure(), data.processes().get(0),
                data.plans(), data.opportunities()));
        page = Path.of("target", "funnel-report.html").toAbsolutePath();
        HtmlReport.write(report, TrainingCompany.CALENDAR.dateOf(TrainingCompany.AS_OF), page);
    }

    private static Path chromium() {
        Path found = Files.isExecutable(CHROMIUM) ? CHROMIUM : onPath("chromium");
        if (found == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed, and CI=true: .ci/run installs it (apt-get install chromium)");
            }
            assumeTrue(false, "chromium is not installed (apt-get install chromium); skipping the browser check");
        }
        return found;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String runChromium(Path browser, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path stdout = Files.createTempFile(Path.of("target"), "chromium-out-", ".html");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s: " + cmd);
        }
        assertThat(p.exitValue()).as("chromium exit code for %s", cmd).isZero();
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        Files.delete(stdout);
        deleteTree(profile);
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void funnelRendersEveryStageWithTheEnginesLabelsAndCounts() throws Exception {
        String dom = runChromium(chromium(), "--dump-dom");
        for (UnitId dept : List.of(UnitId.of("corporate"), UnitId.of("public"))) {
            FunnelResult funnel = report.department(dept).total();
            String section = section(dom, dept.key());
            Matcher m = Pattern.compile("<g class=\"funnel-stage\" data-stage=\"([^\"]+)\" data-reached=\"(\\d+)\">"
                    + ".*?<text class=\"stage-label\"[^>]*>([^<]*)</text>"
                    + "<text class=\"stage-count\"[^>]*>(\\d+)</text>").matcher(section);
            List<String> rendered = new ArrayList<>();
            while (m.find()) {
                rendered.add(m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4));
            }
            List<String> expected = new ArrayList<>();
            for (StageFigures s : funnel.stages()) {
                // the DOM serializer escapes text again, so compare with the escaped name
                expected.add(s.code() + "|" + s.reached() + "|" + HtmlReport.escape(s.name()).replace("&#39;", "'")
                        .replace("&quot;", "\"") + "|" + s.reached());
            }
            assertThat(rendered).as("funnel stages of %s", dept).isEqualTo(expected);
            assertThat(section).contains("data-won=\"" + funnel.won() + "\"");
        }
        // the dynamics chart: one line per series with a point per month
        Matcher series = Pattern.compile("<g class=\"series\" data-series=\"([^\"]+)\">(.*?)</g>").matcher(dom);
        List<String> names = new ArrayList<>();
        while (series.find()) {
            names.add(series.group(1));
            assertThat(series.group(2).split("<circle", -1)).hasSize(1 + report.months().size());
        }
        assertThat(names).containsExactly("New deals", "Won", "Lost");
    }

    @Test
    void screenshotOfTheReportIsSavedUnderTarget() throws Exception {
        Path png = Path.of("target", "funnel-report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        runChromium(chromium(), "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars");
        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        // a blank 1280x2000 page compresses to a few kilobytes; charts and tables make it larger
        assertThat(bytes.length).isGreaterThan(50_000);
    }

    private static String section(String dom, String nodeKey) {
        int start = dom.indexOf("data-node=\"" + nodeKey + "\"");
        assertThat(start).as("section of %s in the DOM", nodeKey).isGreaterThanOrEqualTo(0);
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }
}
