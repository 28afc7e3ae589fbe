package org.peftharness.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.peftharness.reports.ReportModel.Fact;
import org.peftharness.reports.ReportModel.LossChart;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Table;

/** report.md: GitHub-flavoured markdown with pipe tables; plots linked from {@code plots/}. */
public final class MarkdownWriter {
  private MarkdownWriter() {}

  public static String write(ReportModel m) {
    StringBuilder sb = new StringBuilder();
    sb.append("# PEFT harness report\n\n");
    sb.append("Generated from result files only: ")
        .append(m.inputs().stream().map(p -> "`" + code(p) + "`").collect(Collectors.joining(", "))).append(".  \n");
    sb.append(ReportText.cellCounts(m)).append("\n\n");
    sb.append(ReportText.STATS_LEGEND).append("\n\n");
    String task = null;
    for (Table t : m.tables()) {
      if (!t.key().heading().equals(task)) {
        task = t.key().heading();
        sb.append("## Task: ").append(esc(task)).append("\n\n");
      }
      sb.append("### ").append(esc(t.key().model())).append(": ").append(esc(t.key().title()))
          .append(t.higherIsBetter() ? " (higher is better)" : " (lower is better)").append("\n\n");
      sb.append(esc(ReportText.selectionCaption(t.key()))).append("\n\n");
      table(sb, ReportText.tableHeader(t), rows(t));
      if (t.hasChoices()) {
        sb.append(ReportText.CHOICE_LEGEND).append("\n\n");
      }
      String noise = ReportText.noiseSentence(t);
      if (!noise.isEmpty()) {
        sb.append(noise).append("\n\n");
      }
      sb.append("![").append(esc(t.key().metric())).append(" against trainable parameters](plots/").append(t.plotName())
          .append(".png) ([SVG](plots/").append(t.plotName()).append(".svg))\n\n");
      if (!t.configurations().isEmpty()) {
        sb.append("#### ").append(ReportText.CONFIGURATIONS_TITLE).append("\n\n").append(ReportText.CONFIGURATIONS_LEGEND)
            .append("\n\n");
        table(sb, ReportText.CONFIGURATIONS_HEADER, ReportText.configurationRows(t));
      }
      if (t.sensitivity() != null) {
        String plot = t.sensitivity().plotName();
        sb.append("#### ").append(ReportText.SENSITIVITY_TITLE).append("\n\n").append(esc(ReportText.sensitivityLegend(t)))
            .append("\n\n");
        table(sb, ReportText.sensitivityHeader(t), ReportText.sensitivityRows(t));
        sb.append("![").append(esc(t.key().metric())).append(" against learning rate](plots/").append(plot)
            .append(".png) ([SVG](plots/").append(plot).append(".svg))\n\n");
      }
      if (!t.references().isEmpty()) {
        sb.append("Paper-reported numbers for this table (not measured here; drawn as crosses):\n\n");
        table(sb, ReportText.REFERENCE_HEADER, ReportText.referenceRows(t));
        sb.append("#### ").append(ReportText.COMPARISON_TITLE).append("\n\n").append(ReportText.COMPARISON_LEGEND)
            .append("\n\n");
        for (String source : ReportText.comparisonSources(t)) {
          sb.append("- Paper numbers: ").append(esc(source)).append('\n');
        }
        sb.append('\n');
        table(sb, ReportText.comparisonHeader(t), ReportText.comparisonRows(t));
      }
      if (!t.paired().rows().isEmpty()) {
        sb.append("#### ").append(esc(ReportText.pairedTitle(t))).append("\n\n").append(ReportText.PAIRED_LEGEND)
            .append("\n\n");
        table(sb, ReportText.PAIRED_HEADER, ReportText.pairedRows(t));
      }
      List<List<String>> cells = ReportText.cellRows(t);
      if (cells.stream().anyMatch(r -> !r.get(3).equals("-"))) {
        sb.append("#### ").append(ReportText.CELLS_TITLE).append("\n\n").append(esc(ReportText.cellsLegend(t))).append("\n\n");
        table(sb, ReportText.CELLS_HEADER, cells);
      }
      for (LossChart c : m.lossCharts()) {
        if (c.task().equals(t.key().heading()) && c.model().equals(t.key().model()) && isLastTableOf(m, t)) {
          sb.append("#### Training loss: ").append(esc(c.task())).append(" on ").append(esc(c.model())).append("\n\n");
          sb.append("![training loss](plots/").append(c.plotName()).append(".png) ([SVG](plots/").append(c.plotName())
              .append(".svg))\n\n");
        }
      }
    }
    if (m.tables().isEmpty()) {
      sb.append("No finished cell has a metric value yet.\n\n");
    }
    sb.append("## Failed and cancelled cells\n\n");
    if (m.unfinished().isEmpty()) {
      sb.append("None.\n\n");
    } else {
      table(sb, ReportText.UNFINISHED_HEADER, ReportText.unfinishedRows(m));
    }
    sb.append("## Provenance\n\n");
    sb.append(ReportText.provenanceIntro(m)).append("\n\n");
    List<List<String>> facts = new ArrayList<>();
    for (Fact f : m.provenance().facts()) {
      facts.add(List.of(f.name(), ReportText.values(f)));
    }
    if (!facts.isEmpty()) {
      table(sb, List.of("Fact", "Values (cells)"), facts);
    }
    sb.append("Scoring protocols used:\n\n");
    for (String p : m.provenance().protocols()) {
      sb.append("- ").append(esc(p)).append('\n');
    }
    sb.append('\n');
    if (!m.notes().isEmpty()) {
      sb.append("## Notes\n\n");
      for (String n : m.notes()) {
        sb.append("- ").append(esc(n)).append('\n');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static boolean isLastTableOf(ReportModel m, Table t) {
    Table last = null;
    for (Table x : m.tables()) {
      if (x.key().heading().equals(t.key().heading()) && x.key().model().equals(t.key().model())) {
        last = x;
      }
    }
    return last == t;
  }

  static List<List<String>> rows(Table t) {
    Row best = t.bestRow();
    List<List<String>> out = new ArrayList<>();
    for (Row r : t.rows()) {
      List<String> cells = new ArrayList<>(List.of(r.best() ? "**" + r.methodText() + "**" : r.methodText(), r.rankText(),
          Fmt.params(r.trainableParams()), Fmt.meanStd(r.stats()), r.stats() == null ? "0" : Integer.toString(r.stats().n()),
          Fmt.ci(r.stats()), Fmt.exampleSe(r), r.pareto() ? "yes" : "", Fmt.note(r, best)));
      if (t.hasChoices()) {
        cells.add(2, r.choice() == null ? "-" : r.choice().text());
      }
      out.add(cells);
    }
    return out;
  }

  /** A GFM pipe table; numeric-looking columns right-aligned. */
  static void table(StringBuilder sb, List<String> header, List<List<String>> rows) {
    sb.append('|');
    for (String h : header) {
      sb.append(' ').append(esc(h)).append(" |");
    }
    sb.append("\n|");
    for (String h : header) {
      sb.append(ReportText.NUMERIC_COLUMNS.contains(h) ? "---:|" : "---|");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append('|');
      for (String c : r) {
        sb.append(' ').append(esc(c)).append(" |");
      }
      sb.append('\n');
    }
    sb.append('\n');
  }

  /** Escapes what would break a table cell or a line: pipes, backslashes before them, line breaks. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  private static String code(Path p) {
    return p.toString().replace("`", "'");
  }
}
