package org.peftharness.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peftharness.reports.ReportModel.LossChart;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.baseline.ReferencePoint;

/**
 * {@code harness report}: reads results folders (result files only, never a running grid's memory)
 * and writes into {@code outDir}:
 *
 * <pre>
 * report.md              GitHub-flavoured markdown; plots linked from plots/
 * report.html            one self-contained page (plots embedded, no network)
 * plots/metric-*.png|svg metric against trainable parameters, per task x model x metric x protocol x selection
 * plots/lr-*.png|svg     metric against learning rate, per table whose grid swept it
 * plots/loss-*.png|svg   training loss per task x model (cells with metrics.jsonl only)
 * </pre>
 *
 * Equal inputs give byte-identical files, so reports can be diffed and committed.
 */
public final class ReportService {
  public static final String MARKDOWN = "report.md";
  public static final String HTML = "report.html";
  public static final String PLOTS = "plots";

  /** What was written, and the model it was rendered from (for callers that print a summary). */
  public record Report(Path markdown, Path html, List<Path> plotFiles, ReportModel model) {}

  private ReportService() {}

  public static Report report(List<Path> resultsDirs, Path outDir) throws IOException {
    return report(resultsDirs, outDir, List.of());
  }

  /**
   * @param references published numbers to draw and tabulate beside measured points (the CLI reads
   *     them from the baseline files given with {@code --baselines} and those in the results folders'
   *     {@code baselines/}); identical points count once; empty for none
   * @throws org.peftharness.core.InvalidInputException when a folder is not a results folder or a
   *     result file is malformed
   */
  public static Report report(List<Path> resultsDirs, Path outDir, List<ReferencePoint> references) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // the same file passed twice, or given with --baselines and copied into a results folder, is one point
    List<ReferencePoint> points = List.copyOf(new LinkedHashSet<>(references));
    ResultsLoader.Loaded loaded = ResultsLoader.load(resultsDirs);
    ReportModel model = ReportBuilder.build(resultsDirs, loaded, points);
    TreeSet<String> methods = new TreeSet<>();
    loaded.rows().forEach(r -> methods.add(r.row().method()));
    points.forEach(p -> methods.add(p.method()));
    Charts charts = new Charts(new ArrayList<>(methods));
    Map<String, Charts.Plot> plots = new LinkedHashMap<>();
    for (Table t : model.tables()) {
      plots.put(t.plotName(), charts.metricPlot(t));
      if (t.sensitivity() != null) {
        plots.put(t.sensitivity().plotName(), charts.sensitivityPlot(t));
      }
    }
    for (LossChart c : model.lossCharts()) {
      plots.put(c.plotName(), charts.lossPlot(c));
    }
    Path plotDir = outDir.resolve(PLOTS);
    Files.createDirectories(plotDir);
    List<Path> files = new ArrayList<>();
    for (Charts.Plot p : plots.values()) {
      Path png = plotDir.resolve(p.name() + ".png");
      Path svg = plotDir.resolve(p.name() + ".svg");
      Files.write(png, p.png());
      Files.write(svg, p.svg());
      files.add(png);
      files.add(svg);
    }
    Path md = outDir.resolve(MARKDOWN);
    Files.writeString(md, MarkdownWriter.write(model), StandardCharsets.UTF_8);
    Path html = outDir.resolve(HTML);
    Files.writeString(html, HtmlWriter.write(model, plots), StandardCharsets.UTF_8);
    return new Report(md, html, files, model);
  }
}
