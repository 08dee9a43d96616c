package org.crmkit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Headless Debian chromium for the report tests (also used by the examples' tests through this
 * module's test jar): the DOM of a page after rendering, and a screenshot. Without chromium a
 * test is skipped, except on CI ({@code CI=true}), where {@code .ci/run} installs it.
 */
public final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** A pixel whose channels differ by more than this is "ink" of a chart's colours, not grey, black or white. */
    private static final int SATURATION = 60;

    private final Path browser;

    private HeadlessChromium(Path browser) {
        this.browser = browser;
    }

    /**
     * The browser, or the test is skipped (failed on CI) when none is installed.
     *
     * @return the browser
     */
    public static HeadlessChromium require() {
        Path found = Files.isExecutable(CHROMIUM) ? CHROMIUM : onPath("chromium");
        if (found == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed, and CI=true: .ci/run installs it (apt-get install chromium)");
            }
            assumeTrue(false, "chromium is not installed (apt-get install chromium); skipping the browser check");
        }
        return new HeadlessChromium(found);
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

    /**
     * The DOM of a page after Chromium rendered it.
     *
     * @param page the HTML file
     * @return the serialized DOM
     * @throws Exception when chromium fails
     */
    public String dom(Path page) throws Exception {
        return run(page, "--dump-dom");
    }

    /**
     * A screenshot of a page.
     *
     * @param page the HTML file
     * @param png where to write the PNG
     * @param width the window width
     * @param height the window height
     * @return the image
     * @throws Exception when chromium fails or writes no image
     */
    public BufferedImage screenshot(Path page, Path png, int width, int height) throws Exception {
        Files.deleteIfExists(png);
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("PNG decoded from %s", png).isNotNull();
        return image;
    }

    /**
     * Counts the pixels in a chart's colours: the bars, lines, areas and legend keys, not the
     * white background, the grey grid or the black text. A chart without data marks has only its
     * legend keys (a few hundred pixels).
     *
     * @param image the image
     * @return the number of saturated pixels
     */
    public static long inkPixels(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > SATURATION) {
                    ink++;
                }
            }
        }
        return ink;
    }

    /**
     * The funnel stages a rendered section shows, as {@code code|reached|label|count}.
     *
     * @param dom the DOM (or a section of it)
     * @return one entry per funnel stage, in page order
     */
    public static List<String> renderedStages(String dom) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<g class=\"funnel-stage\" data-stage=\"([^\"]+)\" data-reached=\"(\\d+)\">"
                        + ".*?<text class=\"stage-label\"[^>]*>([^<]*)</text>"
                        + "<text class=\"stage-count\"[^>]*>(\\d+)</text>").matcher(dom);
        List<String> rendered = new ArrayList<>();
        while (m.find()) {
            rendered.add(m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4));
        }
        return rendered;
    }

    /**
     * The stages a funnel should render, as {@link #renderedStages} reads them back.
     *
     * @param funnel the engine's funnel
     * @return one entry per stage
     */
    public static List<String> expectedStages(org.crmkit.funnel.FunnelResult funnel) {
        List<String> expected = new ArrayList<>();
        for (org.crmkit.funnel.StageFigures s : funnel.stages()) {
            // the DOM serializer escapes text again, so compare with the escaped name
            expected.add(s.code() + "|" + s.reached() + "|" + HtmlReport.escape(s.name()).replace("&#39;", "'")
                    .replace("&quot;", "\"") + "|" + s.reached());
        }
        return expected;
    }

    private String run(Path page, String... extra) throws IOException, InterruptedException {
        Path target = Files.createDirectories(Path.of("target"));
        Path profile = Files.createTempDirectory(target, "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(extra));
        cmd.add(page.toAbsolutePath().toUri().toString());
        Path stdout = Files.createTempFile(target, "chromium-out-", ".html");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s: " + cmd);
        }
        assertThat(p.exitValue()).as("chromium exit code for %s", cmd).isZero();
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        Files.delete(stdout);
        try (var paths = Files.walk(profile)) {
            for (Path x : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
        return out;
    }
}
