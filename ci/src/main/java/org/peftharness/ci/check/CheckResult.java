package org.peftharness.ci.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.ci.baseline.BaselineFile;
import org.peftharness.core.ExitCode;

/** The outcome of {@code harness check}: rows in baseline-file order, a text table, JUnit XML, an exit code. */
public record CheckResult(Path resultsDir, List<BaselineFile> baselines, List<CheckRow> rows) {
  public CheckResult {
    baselines = List.copyOf(baselines);
    rows = List.copyOf(rows);
  }

  public List<CheckRow> rows(Outcome o) {
    return rows.stream().filter(r -> r.outcome() == o).toList();
  }

  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      m.put(o, rows(o).size());
    }
    return m;
  }

  public boolean hasRegression() {
    return !rows(Outcome.FAIL).isEmpty();
  }

  /** 1 ({@link ExitCode#CHECK_FAILED}) on any regression, else 0; improvements and missing results do not fail. */
  public int exitCode() {
    return (hasRegression() ? ExitCode.CHECK_FAILED : ExitCode.OK).code();
  }

  /** "12 checked: 9 pass, 1 improved, 1 missing, 1 FAIL". */
  public String summary() {
    Map<Outcome, Integer> c = counts();
    return rows.size() + " checked: " + c.get(Outcome.PASS) + " pass, " + c.get(Outcome.IMPROVED) + " improved, "
        + c.get(Outcome.MISSING) + " missing, " + c.get(Outcome.FAIL) + (c.get(Outcome.FAIL) > 0 ? " FAIL (regression)" : " fail");
  }

  private static final List<String> HEADER = List.of("outcome", "model", "task", "method", "rank", "metric", "protocol",
      "expected", "measured", "delta", "rule", "se", "band", "seeds", "examples", "verdict", "source", "detail");

  /** A fixed-width text table for a terminal, one row per comparison, then the summary line. */
  public String table() {
    List<List<String>> cells = new ArrayList<>();
    cells.add(HEADER);
    for (CheckRow r : rows) {
      BaselineEntry e = r.entry();
      cells.add(List.of(r.outcome().name(), e.model(), e.task(), e.method(), e.rank() == null ? "-" : e.rank().toString(),
          e.metric(), r.protocol() == null ? "-" : r.protocol(), fmt(e.value()) + scaleNote(e), fmt(r.measured()),
          r.delta() == null ? "-" : signed(r.delta()), r.ruleLabel(), r.noise() == null ? "-" : fmt(r.noise().se()),
          r.tolerance() == null ? "-" : fmt(r.tolerance()), Integer.toString(r.n()), r.examples(), r.verdict(),
          e.verified() ? "verified" : "UNVERIFIED", r.detail()));
    }
    int[] w = new int[HEADER.size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size() - 1; i++) {
        w[i] = Math.max(w[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        String c = row.get(i);
        sb.append(i == row.size() - 1 ? c : c + " ".repeat(w[i] - c.length() + 2));
      }
      sb.append('\n');
    }
    sb.append(summary()).append('\n');
    return sb.toString();
  }

  private static String scaleNote(BaselineEntry e) {
    return e.scale() == 1 ? "" : " (x" + CheckService.num(e.scale()) + ")";
  }

  private static String fmt(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String signed(double v) {
    return String.format(Locale.ROOT, "%+.4f", v);
  }

  /**
   * JUnit XML (the Ant/Surefire dialect CI systems read): one testsuite per baseline file, one
   * testcase per comparison; FAIL is a failure, MISSING is skipped, IMPROVED passes with a note in
   * system-out. No timestamps, so equal inputs give equal files.
   */
  public String junitXml() {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    Map<Outcome, Integer> c = counts();
    sb.append("<testsuites name=\"harness check\" tests=\"").append(rows.size()).append("\" failures=\"")
        .append(c.get(Outcome.FAIL)).append("\" errors=\"0\" skipped=\"").append(c.get(Outcome.MISSING)).append("\">\n");
    for (BaselineFile f : baselines) {
      List<CheckRow> mine = rows.stream().filter(r -> r.entry().file().equals(f.source())).toList();
      long fails = mine.stream().filter(r -> r.outcome() == Outcome.FAIL).count();
      long skipped = mine.stream().filter(r -> r.outcome() == Outcome.MISSING).count();
      sb.append("  <testsuite name=\"").append(x(f.name())).append("\" file=\"").append(x(f.source()))
          .append("\" tests=\"").append(mine.size()).append("\" failures=\"").append(fails).append("\" errors=\"0\" skipped=\"")
          .append(skipped).append("\" time=\"0\">\n");
      sb.append("    <properties>\n      <property name=\"results\" value=\"").append(x(String.valueOf(resultsDir)))
          .append("\"/>\n    </properties>\n");
      for (CheckRow r : mine) {
        BaselineEntry e = r.entry();
        String name = e.method() + (e.rank() == null ? "" : " r" + e.rank()) + " " + e.metric()
            + (r.protocol() == null ? "" : " [" + r.protocol() + "]");
        sb.append("    <testcase classname=\"").append(x(f.name() + "." + e.model() + "." + e.task())).append("\" name=\"")
            .append(x(name)).append("\" file=\"").append(x(e.file())).append("\" line=\"").append(e.line())
            .append("\" time=\"0\">");
        String msg = "expected " + fmt(e.value()) + scaleNote(e) + ", measured " + fmt(r.measured()) + ", delta "
            + (r.delta() == null ? "-" : signed(r.delta())) + ", band " + (r.tolerance() == null ? "-" : fmt(r.tolerance()))
            + " (rule " + r.ruleLabel() + (r.noise() == null ? "" : ", SE " + fmt(r.noise().se())) + ", seeds " + r.n()
            + ", examples " + r.examples() + ")";
        String text = e.describe() + "\n" + msg + "\n" + r.verdict() + "\n" + r.detail() + "\nsource (" + (e.verified() ? "verified" : "UNVERIFIED")
            + "): " + e.source() + "\nbaseline: " + e.where();
        switch (r.outcome()) {
          case FAIL -> sb.append("\n      <failure type=\"regression\" message=\"").append(x(msg)).append("\">")
              .append(x(text)).append("</failure>\n    ");
          case MISSING -> sb.append("\n      <skipped message=\"").append(x("missing: " + r.detail())).append("\"/>\n    ");
          case IMPROVED -> sb.append("\n      <system-out>").append(x("IMPROVED beyond the band: " + text))
              .append("</system-out>\n    ");
          case PASS -> { }
        }
        sb.append("</testcase>\n");
      }
      sb.append("  </testsuite>\n");
    }
    sb.append("</testsuites>\n");
    return sb.toString();
  }

  public void writeJunitXml(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, junitXml(), StandardCharsets.UTF_8);
  }

  private static String x(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\n' -> sb.append("&#10;");
        default -> {
          if (ch >= 0x20 || ch == '\t') {
            sb.append(ch);
          }
        }
      }
    }
    return sb.toString();
  }
}
