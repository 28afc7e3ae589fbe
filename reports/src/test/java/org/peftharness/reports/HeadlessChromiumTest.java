package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.baseline.ReferencePoint;
import org.peftharness.results.testing.SyntheticResults;

/**
 * Opens report.html in a real headless Chromium: it must load without script or resource errors,
 * decode every embedded plot, and render a screenshot that shows the table, the plot with all
 * seven methods' colours, and the paired verdicts coloured by verdict; the DOM must hold the
 * example-level errors, the intervals cut at the metric's range and the verdicts in words. The
 * screenshot is kept at {@code reports/target/report-screenshot.png}.
 * Skips (JUnit assumption) where no chromium is on PATH; {@code src/test/scripts/install-chromium.sh}
 * installs Debian's.
 */
class HeadlessChromiumTest {
  static final Path SCREENSHOT = Path.of("target", "report-screenshot.png").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void report_loadsAndRendersInHeadlessChromium() throws Exception {
    Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
    assumeTrue(chromium.isPresent(), "no chromium on PATH: run reports/src/test/scripts/install-chromium.sh "
        + "(Debian: apt-get install chromium) to enable the browser test");
    Path results = SyntheticResults.write(tmp.resolve("results"));
    Path out = Path.of("target", "chromium-report").toAbsolutePath();
    ReportService.Report report = ReportService.report(List.of(results), out, List.of(ReportServiceTest.PAPER));
    String url = report.html().toUri().toString();

    Files.deleteIfExists(SCREENSHOT);
    Run shot = chromium(chromium.get(), List.of("--screenshot=" + SCREENSHOT, "--window-size=1280,3000",
        "--hide-scrollbars", url));
    assertThat(SCREENSHOT).as("screenshot; chromium said:%n%s", shot.err()).isRegularFile();

    Run dom = chromium(chromium.get(), List.of("--virtual-time-budget=5000", "--dump-dom", url));
    assertThat(dom.out()).contains("<table class=\"results\">");
    List<List<String>> table = rows(dom.out(), "results");
    assertThat(table.get(0)).contains("Example SE");
    assertThat(table).contains(List.of("lora-xs", "16", "3,842", "0.8480 ± 0.0170", "2", "[0.6955, 1.0000]", "0.0113", "",
        "within seed noise of best (95% CIs overlap)"));
    List<List<String>> paired = rows(dom.out(), "paired-verdicts");
    assertThat(paired).hasSize(1 + 12);
    assertThat(paired.get(0)).containsExactly("Method", "Rank", "Difference", "95% interval", "Verdict", "Seeds", "Examples",
        "McNemar exact p per seed");
    assertThat(paired).contains(List.of("lora-ga", "16", "-0.0130", "[-0.0310, 0.0060]", "cannot tell at 95%", "1", "1000",
        "s1: 0.2031 (b 38, c 51)"));
    assertThat(paired.stream().filter(r -> r.get(4).equals("worse"))).hasSize(11);
    assertThat(dom.out()).containsPattern("<img class=\"plot\"");
    assertThat(attr(dom.out(), "data-images")).isEqualTo("2");
    assertThat(attr(dom.out(), "data-images-decoded")).as("plots decoded by the browser").isEqualTo("2");
    assertThat(attr(dom.out(), "data-script-errors")).isEqualTo("0");
    for (Run r : List.of(shot, dom)) {
      assertThat(r.err()).doesNotContain("Uncaught").doesNotContain("Failed to load resource")
          .doesNotContain("ERR_FILE_NOT_FOUND");
    }

    BufferedImage img = ImageIO.read(SCREENSHOT.toFile());
    assertThat(img.getWidth()).isEqualTo(1280);
    int nonWhite = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
          nonWhite++;
        }
      }
    }
    assertThat(nonWhite).as("non-white pixels").isGreaterThan(img.getWidth() * img.getHeight() / 50);
    // each method's colour (legend marker and points) is visible in the screenshot
    int[] methodColours = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1};
    for (int c : methodColours) {
      assertThat(countNear(img, c)).as("pixels of colour %06x", c).isGreaterThan(10);
    }
    // the paired verdicts are on screen: eleven "worse" rows and one "cannot tell" row, as CSS colours them
    int worseRow = countNear(img, 0xF9DCDC);
    int cannotTellRow = countNear(img, 0xE8E8EE);
    assertThat(worseRow).as("pixels of the 'worse' rows").isGreaterThan(11 * 10_000);
    assertThat(cannotTellRow).as("pixels of the 'cannot tell' row").isGreaterThan(10_000);
  }

  /** The cells' text of the first table of class {@code cls}, header row first. */
  private static List<List<String>> rows(String dom, String cls) {
    Matcher table = Pattern.compile("<table class=\"" + cls + "\">(.*?)</table>", Pattern.DOTALL).matcher(dom);
    assertThat(table.find()).as("table %s in the rendered DOM", cls).isTrue();
    List<List<String>> rows = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
    while (tr.find()) {
      List<String> cells = new ArrayList<>();
      Matcher td = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL).matcher(tr.group(1));
      while (td.find()) {
        cells.add(td.group(1).replaceAll("<[^>]+>", "").replace("&amp;", "&"));
      }
      rows.add(cells);
    }
    return rows;
  }

  @Test
  void paperVsReproducedTable_rendersInHeadlessChromium() throws Exception {
    Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
    assumeTrue(chromium.isPresent(), "no chromium on PATH: run reports/src/test/scripts/install-chromium.sh");
    Path results = SyntheticResults.write(tmp.resolve("results"));
    ReferencePoint notRun = new ReferencePoint("minilm", SyntheticResults.TASK, "dora", 8, "accuracy", "glue-label", null,
        0.9, "Made-up paper, Table 9", "test fixture, not a real paper", true);
    ReportService.Report report = ReportService.report(List.of(results), tmp.resolve("report"),
        List.of(ReportServiceTest.PAPER, notRun));
    Run dom = chromium(chromium.get(), List.of("--virtual-time-budget=5000", "--dump-dom", report.html().toUri().toString()));
    assertThat(attr(dom.out(), "data-script-errors")).isEqualTo("0");
    Matcher table = Pattern.compile("<table class=\"paper-vs-reproduced\">(.*?)</table>", Pattern.DOTALL).matcher(dom.out());
    assertThat(table.find()).as("comparison table in the rendered DOM").isTrue();
    List<List<String>> rows = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
    while (tr.find()) {
      List<String> cells = new ArrayList<>();
      Matcher td = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL).matcher(tr.group(1));
      while (td.find()) {
        cells.add(td.group(1).replaceAll("<[^>]+>", ""));
      }
      rows.add(cells);
    }
    assertThat(rows).containsExactly(
        List.of("Method", "Rank", "Paper", "Reproduced", "n", "95% CI", "Reproduced − paper", "Status"),
        List.of("dora", "8", "0.9000", "not run", "-", "-", "-", "paper-reported"),
        List.of("lora", "8", "0.9012", "0.8840", "2", "[0.8332, 0.9348]", "-0.0172", "paper-reported, UNVERIFIED"));
    assertThat(table.group(1)).contains("<span class=\"unverified\">UNVERIFIED</span>");
  }

  @Test
  void validationChoiceAndSensitivity_renderInHeadlessChromium() throws Exception {
    Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
    assumeTrue(chromium.isPresent(), "no chromium on PATH: run reports/src/test/scripts/install-chromium.sh");
    Path results = ValidationChoiceTest.writeSweep(tmp.resolve("results"));
    ReportService.Report report = ReportService.report(List.of(results), tmp.resolve("report"));
    Run dom = chromium(chromium.get(), List.of("--virtual-time-budget=5000", "--dump-dom", report.html().toUri().toString()));
    assertThat(attr(dom.out(), "data-script-errors")).isEqualTo("0");
    // the metric plot, the learning-rate plot and the loss plot
    assertThat(attr(dom.out(), "data-images")).isEqualTo("3");
    assertThat(attr(dom.out(), "data-images-decoded")).isEqualTo("3");
    assertThat(dom.out()).contains("Model selection: best epoch on validation.");
    assertThat(rows(dom.out(), "results")).contains(List.of("lora", "8", "lr=5.0e-4, chosen on validation accuracy (n=200)", "1,000",
        "0.8000 ± 0.0141", "2", "[0.6729, 0.9271]", "-", "yes", "best"));
    assertThat(rows(dom.out(), "sensitivity")).containsExactly(List.of("Method", "lr=1e-4", "lr=5.0e-4", "lr=0.001"),
        List.of("lora r8", "0.8000 (val 0.7000)", "0.8000 (val 0.7500) *", "0.8000 (val 0.7200)"));
  }

  private static int countNear(BufferedImage img, int rgb) {
    Color want = new Color(rgb);
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        Color c = new Color(img.getRGB(x, y));
        if (Math.abs(c.getRed() - want.getRed()) <= 4 && Math.abs(c.getGreen() - want.getGreen()) <= 4
            && Math.abs(c.getBlue() - want.getBlue()) <= 4) {
          n++;
        }
      }
    }
    return n;
  }

  private static String attr(String dom, String name) {
    Matcher m = Pattern.compile("<body[^>]*\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom);
    return m.find() ? m.group(1) : null;
  }

  record Run(String out, String err) {}

  private Run chromium(Path exe, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--headless", "--disable-gpu", "--no-sandbox",
        "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
        "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
    cmd.addAll(args);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + cmd);
    }
    return new Run(Files.readString(out), Files.readString(err));
  }

  static Optional<Path> onPath(String... names) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String n : names) {
        Path p = Path.of(dir, n);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
