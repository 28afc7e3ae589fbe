package org.peftharness.reports;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.peftharness.reports.ReportModel.Fact;
import org.peftharness.reports.ReportModel.LossChart;
import org.peftharness.reports.ReportModel.Table;

/**
 * report.html: one self-contained page. Plots are embedded as PNG data URIs, styles are inline,
 * nothing is fetched from a network. A small inline script records on {@code <body>} how many
 * images decoded and any script error, so a headless browser (and a curious reader) can tell
 * the page rendered completely.
 */
public final class HtmlWriter {
  private HtmlWriter() {}

  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;max-width:1180px;color:#222;padding:0 1em}
      h1{font-size:1.7em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.6em}
      table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
      th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
      th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
      tr.best td,tr.chosen td{font-weight:600;background:#eef7ee}p.selection{font-style:italic}tr.noise td{background:#fffbe6}
      figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
      figcaption{font-size:.85em;color:#555}.legend{font-size:.9em;color:#444;max-width:60em}
      .unverified{color:#b00;font-weight:600}code{background:#f6f8fa;padding:0 .2em}
      tr.verdict-better td{background:#d9f2dc}tr.verdict-worse td{background:#f9dcdc}
      tr.verdict-cannot-tell td{background:#e8e8ee}tr.verdict-none td{color:#777}
      """;

  private static final String SCRIPT = """
      window.addEventListener('error',function(e){document.body.setAttribute('data-script-errors',
        (parseInt(document.body.getAttribute('data-script-errors')||'0')+1).toString());});
      window.addEventListener('load',function(){var imgs=document.images,ok=0;
        for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&imgs[i].naturalWidth>0){ok++;}}
        document.body.setAttribute('data-images',imgs.length+'');document.body.setAttribute('data-images-decoded',ok+'');});
      """;

  public static String write(ReportModel m, Map<String, Charts.Plot> plots) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>PEFT harness report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n")
        .append("<body data-script-errors=\"0\">\n<h1>PEFT harness report</h1>\n");
    sb.append("<p>Generated from result files only: ");
    for (int i = 0; i < m.inputs().size(); i++) {
      sb.append(i == 0 ? "" : ", ").append("<code>").append(h(m.inputs().get(i).toString())).append("</code>");
    }
    sb.append(". ").append(h(ReportText.cellCounts(m))).append("</p>\n");
    sb.append("<p class=\"legend\">").append(h(ReportText.STATS_LEGEND)).append("</p>\n");
    String task = null;
    for (Table t : m.tables()) {
      if (!t.key().heading().equals(task)) {
        task = t.key().heading();
        sb.append("<h2>Task: ").append(h(task)).append("</h2>\n");
      }
      sb.append("<h3>").append(h(t.key().model())).append(": ").append(h(t.key().title()))
          .append(t.higherIsBetter() ? " (higher is better)" : " (lower is better)").append("</h3>\n");
      sb.append("<p class=\"selection\">").append(h(ReportText.selectionCaption(t.key()))).append("</p>\n");
      List<String> classes = new ArrayList<>();
      for (ReportModel.Row r : t.rows()) {
        classes.add(r.best() ? "best" : r.withinNoise() ? "noise" : "");
      }
      List<List<String>> rows = MarkdownWriter.rows(t).stream()
          .map(r -> r.stream().map(c -> c.startsWith("**") ? c.substring(2, c.length() - 2) : c).toList()).toList();
      table(sb, "results", ReportText.tableHeader(t), rows, classes);
      if (t.hasChoices()) {
        sb.append("<p class=\"legend\">").append(h(ReportText.CHOICE_LEGEND)).append("</p>\n");
      }
      String noise = ReportText.noiseSentence(t);
      if (!noise.isEmpty()) {
        sb.append("<p>").append(h(noise)).append("</p>\n");
      }
      figure(sb, plots.get(t.plotName()), t.key().metric() + " against trainable parameters (log x); dashed line: Pareto "
          + "front; crosses: paper-reported numbers" + (t.references().stream().anyMatch(p -> !p.verified())
          ? " (UNVERIFIED where so marked in the legend)" : "") + ".");
      if (!t.configurations().isEmpty()) {
        sb.append("<h4>").append(h(ReportText.CONFIGURATIONS_TITLE)).append("</h4>\n<p class=\"legend\">")
            .append(h(ReportText.CONFIGURATIONS_LEGEND)).append("</p>\n");
        table(sb, "configurations", ReportText.CONFIGURATIONS_HEADER, ReportText.configurationRows(t),
            t.configurations().stream().map(c -> c.chosen() ? "chosen" : "").toList());
      }
      if (t.sensitivity() != null) {
        sb.append("<h4>").append(h(ReportText.SENSITIVITY_TITLE)).append("</h4>\n<p class=\"legend\">")
            .append(h(ReportText.sensitivityLegend(t))).append("</p>\n");
        table(sb, "sensitivity", ReportText.sensitivityHeader(t), ReportText.sensitivityRows(t), List.of());
        figure(sb, plots.get(t.sensitivity().plotName()), t.key().metric() + " against learning rate (log x), mean over "
            + "seeds: solid, reported split; dashed, validation; black crosses, the rates chosen on validation.");
      }
      if (!t.references().isEmpty()) {
        sb.append("<p>Paper-reported numbers for this table (not measured here):</p>\n");
        List<String> refClasses = t.references().stream().map(p -> p.verified() ? "" : "unverified-row").toList();
        table(sb, "references", ReportText.REFERENCE_HEADER, ReportText.referenceRows(t), refClasses);
        sb.append("<h4>").append(h(ReportText.COMPARISON_TITLE)).append("</h4>\n<p class=\"legend\">")
            .append(h(ReportText.COMPARISON_LEGEND)).append("</p>\n<ul>\n");
        for (String source : ReportText.comparisonSources(t)) {
          sb.append("<li>Paper numbers: ").append(h(source)).append("</li>\n");
        }
        sb.append("</ul>\n");
        table(sb, "paper-vs-reproduced", ReportText.comparisonHeader(t), ReportText.comparisonRows(t), refClasses);
      }
      if (!t.paired().rows().isEmpty()) {
        sb.append("<h4>").append(h(ReportText.pairedTitle(t))).append("</h4>\n<p class=\"legend\">")
            .append(h(ReportText.PAIRED_LEGEND)).append("</p>\n");
        table(sb, "paired-verdicts", ReportText.PAIRED_HEADER, ReportText.pairedRows(t),
            t.paired().rows().stream().map(ReportText::pairedClass).toList());
      }
      List<List<String>> cells = ReportText.cellRows(t);
      if (cells.stream().anyMatch(r -> !r.get(3).equals("-"))) {
        sb.append("<details><summary>").append(h(ReportText.CELLS_TITLE)).append("</summary>\n<p class=\"legend\">")
            .append(h(ReportText.cellsLegend(t))).append("</p>\n");
        table(sb, "example-errors", ReportText.CELLS_HEADER, cells, List.of());
        sb.append("</details>\n");
      }
      for (LossChart c : m.lossCharts()) {
        if (c.task().equals(t.key().heading()) && c.model().equals(t.key().model()) && MarkdownWriter.isLastTableOf(m, t)) {
          sb.append("<h4>Training loss: ").append(h(c.task())).append(" on ").append(h(c.model())).append("</h4>\n");
          figure(sb, plots.get(c.plotName()), "training loss per method and rank, mean over seeds at common steps.");
        }
      }
    }
    if (m.tables().isEmpty()) {
      sb.append("<p>No finished cell has a metric value yet.</p>\n");
    }
    sb.append("<h2>Failed and cancelled cells</h2>\n");
    if (m.unfinished().isEmpty()) {
      sb.append("<p>None.</p>\n");
    } else {
      table(sb, "unfinished", ReportText.UNFINISHED_HEADER, ReportText.unfinishedRows(m), List.of());
    }
    sb.append("<h2>Provenance</h2>\n<p>").append(h(ReportText.provenanceIntro(m))).append("</p>\n");
    List<List<String>> facts = new ArrayList<>();
    for (Fact f : m.provenance().facts()) {
      facts.add(List.of(f.name(), ReportText.values(f)));
    }
    if (!facts.isEmpty()) {
      table(sb, "provenance", List.of("Fact", "Values (cells)"), facts, List.of());
    }
    sb.append("<p>Scoring protocols used:</p>\n<ul>\n");
    for (String p : m.provenance().protocols()) {
      sb.append("<li>").append(h(p)).append("</li>\n");
    }
    sb.append("</ul>\n");
    if (!m.notes().isEmpty()) {
      sb.append("<h2>Notes</h2>\n<ul>\n");
      for (String n : m.notes()) {
        sb.append("<li>").append(h(n)).append("</li>\n");
      }
      sb.append("</ul>\n");
    }
    sb.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return sb.toString();
  }

  private static void figure(StringBuilder sb, Charts.Plot p, String caption) {
    if (p == null) {
      return;
    }
    sb.append("<figure id=\"").append(h(p.name())).append("\"><img class=\"plot\" alt=\"").append(h(caption))
        .append("\" width=\"").append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT)
        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p.png())).append("\">")
        .append("<figcaption>").append(h(caption)).append(" <a href=\"plots/").append(h(p.name()))
        .append(".svg\">SVG</a></figcaption></figure>\n");
  }

  private static void table(StringBuilder sb, String cls, List<String> header, List<List<String>> rows, List<String> rowClasses) {
    sb.append("<table class=\"").append(cls).append("\">\n<thead><tr>");
    for (String c : header) {
      sb.append("<th>").append(h(c)).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (int i = 0; i < rows.size(); i++) {
      String rc = i < rowClasses.size() ? rowClasses.get(i) : "";
      sb.append(rc.isEmpty() ? "<tr>" : "<tr class=\"" + rc + "\">");
      List<String> r = rows.get(i);
      for (int j = 0; j < r.size(); j++) {
        boolean num = ReportText.NUMERIC_COLUMNS.contains(header.get(j));
        String text = h(r.get(j));
        if (text.contains("UNVERIFIED")) {
          text = text.replace("UNVERIFIED", "<span class=\"unverified\">UNVERIFIED</span>");
        }
        sb.append(num ? "<td class=\"num\">" : "<td>").append(text).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
  }

  static String h(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
