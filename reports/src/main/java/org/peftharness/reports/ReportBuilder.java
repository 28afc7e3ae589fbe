package org.peftharness.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.peftharness.reports.ConfigurationChoices.VariantChoice;
import org.peftharness.reports.ReportModel.Choice;
import org.peftharness.reports.ReportModel.Configuration;
import org.peftharness.reports.ReportModel.Fact;
import org.peftharness.reports.ReportModel.LossChart;
import org.peftharness.reports.ReportModel.LossSeries;
import org.peftharness.reports.ReportModel.PairedSection;
import org.peftharness.reports.ReportModel.PaperComparison;
import org.peftharness.reports.ReportModel.Provenance;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Slug;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.reports.ReportModel.TableKey;
import org.peftharness.reports.ReportModel.ValueCount;
import org.peftharness.reports.stats.Pareto;
import org.peftharness.reports.stats.PerExampleData;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.baseline.ReferencePoint;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.results.stats.MetricRange;
import org.peftharness.results.stats.SeedStats;

/** Computes a {@link ReportModel} from loaded rows and the cells' files. Reads files; writes nothing. */
public final class ReportBuilder {

  private static final Comparator<Integer> RANKS = Comparator.nullsFirst(Integer::compareTo);

  private ReportBuilder() {}

  public static ReportModel build(List<Path> inputs, ResultsLoader.Loaded loaded, List<ReferencePoint> references)
      throws IOException {
    List<String> notes = new ArrayList<>(loaded.notes());
    List<LoadedRow> rows = loaded.rows();
    List<Table> tables = tables(rows, references);
    notes.addAll(unmatchedReferenceNotes(tables, references));
    List<LossChart> loss = lossCharts(rows, notes);
    List<ResultRow> unfinished = rows.stream().map(LoadedRow::row).filter(r -> r.status() != CellStatus.OK)
        .sorted(Comparator.comparing(ResultRow::task).thenComparing(ResultRow::model).thenComparing(ResultRow::method)
            .thenComparing(ResultRow::rank, RANKS).thenComparingLong(ResultRow::seed).thenComparing(ResultRow::cellId))
        .toList();
    return new ReportModel(List.copyOf(inputs), tables, loss, unfinished, provenance(rows, notes), notes);
  }

  /** What a row's cell trained on, when it is not the task's own training split (rows before train_on: never). */
  private static String trainedOn(ResultRow r) {
    return r.trainOn() == null || r.trainOn().equals(r.task()) ? null : r.trainOn();
  }

  /** How the row's cell chose the model it reports; empty when not recorded. */
  private static String selection(ResultRow r) {
    return r.selection() == null ? "" : r.selection();
  }

  /**
   * The point of a table a result belongs to: its method and rank, and its sweep point (each point
   * is a row of its own until validation chooses).
   */
  private static TablePoint point(ResultRow r) {
    return new TablePoint(heading(r), r.model(), selection(r), r.method(), r.rank(), r.sweep() == null ? "" : r.sweep());
  }

  private static String heading(ResultRow r) {
    String on = trainedOn(r);
    return on == null ? r.task() : r.task() + " (trained on " + on + ")";
  }

  /**
   * The tables of the finished evaluations of the reported splits. Evaluations of held-out
   * validation examples are no table's rows: they only choose configurations.
   */
  static List<Table> tables(List<LoadedRow> rows, List<ReferencePoint> references) {
    Map<TableKey, List<LoadedRow>> byKey = new TreeMap<>();
    Map<TablePoint, List<ResultRow>> unfinished = new LinkedHashMap<>();
    for (LoadedRow lr : rows) {
      ResultRow r = lr.row();
      if (r.isValidation()) {
        continue;
      }
      if (r.status() == CellStatus.OK && r.metric() != null && r.value() != null) {
        byKey.computeIfAbsent(new TableKey(r.task(), trainedOn(r), r.model(), r.metric(), r.protocol(), r.protocolVersion(),
            selection(r)), k -> new ArrayList<>()).add(lr);
      } else if (r.status() != CellStatus.OK) {
        unfinished.computeIfAbsent(point(r), k -> new ArrayList<>()).add(r);
      }
    }
    PerExampleData examples = new PerExampleData();
    ValidationScores validation = new ValidationScores(rows);
    List<Table> out = new ArrayList<>();
    for (Map.Entry<TableKey, List<LoadedRow>> e : byKey.entrySet()) {
      out.add(table(e.getKey(), e.getValue(), unfinished, references, examples, validation));
    }
    return out;
  }

  private static Table table(TableKey key, List<LoadedRow> ok, Map<TablePoint, List<ResultRow>> unfinished,
      List<ReferencePoint> references, PerExampleData examples, ValidationScores validation) {
    boolean higher = ok.stream().map(lr -> lr.row().higherIsBetter()).filter(Objects::nonNull).findFirst().orElse(true);
    MetricRange range = MetricRange.of(key.metric());
    Map<TablePoint, List<LoadedRow>> points = new TreeMap<>(TablePoint.ORDER);
    for (LoadedRow lr : ok) {
      points.computeIfAbsent(point(lr.row()), k -> new ArrayList<>()).add(lr);
    }
    for (TablePoint p : unfinished.keySet()) {
      if (p.task().equals(key.heading()) && p.model().equals(key.model()) && p.selection().equals(key.selection())) {
        points.computeIfAbsent(p, k -> new ArrayList<>());
      }
    }
    // each point's seeds on the reported split, and the validation scores of the same cells
    Map<TablePoint, List<LoadedRow>> seeds = new LinkedHashMap<>();
    Map<TablePoint, SeedStats> stats = new HashMap<>();
    Map<TablePoint, Map<Long, ResultRow>> scores = new HashMap<>();
    for (Map.Entry<TablePoint, List<LoadedRow>> g : points.entrySet()) {
      List<LoadedRow> lrs = new ArrayList<>(g.getValue());
      lrs.sort(Comparator.comparingLong(lr -> lr.row().seed()));
      seeds.put(g.getKey(), lrs);
      stats.put(g.getKey(), lrs.isEmpty() ? null : SeedStats.of(range, lrs.stream().mapToDouble(lr -> lr.row().value()).toArray()));
      Map<Long, ResultRow> bySeed = new TreeMap<>();
      for (ResultRow r : Stream.concat(lrs.stream().map(LoadedRow::row), unfinished.getOrDefault(g.getKey(), List.of()).stream())
          .toList()) {
        ResultRow v = validation.of(r.cellId());
        if (v != null) {
          bySeed.putIfAbsent(v.seed(), v);
        }
      }
      scores.put(g.getKey(), bySeed);
    }
    List<VariantChoice> choices = ConfigurationChoices.of(new ArrayList<>(points.keySet()), scores, higher);
    Map<TablePoint, VariantChoice> chosen = new HashMap<>();
    Set<TablePoint> passedOver = new HashSet<>();
    List<Configuration> configurations = new ArrayList<>();
    for (VariantChoice c : choices) {
      chosen.put(c.chosen(), c);
      for (TablePoint p : c.points()) {
        if (!p.equals(c.chosen())) {
          passedOver.add(p);
        }
        configurations.add(new Configuration(p.method(), p.rank(), c.variant().text(),
            ConfigurationChoices.configuration(p), mean(scores.get(p)), scores.get(p).size(), stats.get(p), p.equals(c.chosen())));
      }
    }
    record Draft(TablePoint p, String sweep, Choice choice, Long params, SeedStats stats, List<Long> seeds, int failed,
        int cancelled, PairedVerdicts.Evidence evidence) {}
    List<Draft> drafts = new ArrayList<>();
    for (Map.Entry<TablePoint, List<LoadedRow>> g : seeds.entrySet()) {
      TablePoint p = g.getKey();
      if (passedOver.contains(p)) {
        continue;
      }
      List<LoadedRow> lrs = g.getValue();
      List<ResultRow> rs = lrs.stream().map(LoadedRow::row).toList();
      List<ResultRow> bad = unfinished.getOrDefault(p, List.of());
      int failed = (int) bad.stream().filter(r -> r.status() == CellStatus.FAILED).count();
      int cancelled = (int) bad.stream().filter(r -> r.status() == CellStatus.CANCELLED).count();
      Long params = rs.stream().map(ResultRow::trainableParams).filter(Objects::nonNull).max(Long::compare).orElse(null);
      PairedVerdicts.Evidence evidence = PairedVerdicts.Evidence.of(lrs, examples);
      VariantChoice c = chosen.get(p);
      drafts.add(new Draft(p, c == null ? p.sweep() : c.variant().text(), c == null ? null : c.choice(), params, stats.get(p),
          rs.stream().map(ResultRow::seed).toList(), failed, cancelled, evidence));
    }
    Draft best = null;
    for (Draft d : drafts) {
      if (d.stats() != null && (best == null
          || (higher ? d.stats().mean() > best.stats().mean() : d.stats().mean() < best.stats().mean()))) {
        best = d;
      }
    }
    List<Pareto.Point<Draft>> pts = drafts.stream().filter(d -> d.stats() != null && d.params() != null && d.params() > 0)
        .map(d -> new Pareto.Point<>(d.params(), d.stats().mean(), d)).toList();
    Set<Draft> front = Pareto.front(pts, higher).stream().map(Pareto.Point::item)
        .collect(Collectors.toCollection(() -> Collections.newSetFromMap(new IdentityHashMap<>())));
    List<Row> rowsOut = new ArrayList<>();
    Row bestRow = null;
    List<PairedVerdicts.Candidate> others = new ArrayList<>();
    PairedVerdicts.Evidence bestEvidence = null;
    for (Draft d : drafts) {
      boolean isBest = d == best;
      boolean noise = !isBest && best != null && d.stats() != null && best.stats().ciOverlaps(d.stats());
      Row row = new Row(d.p().method(), d.p().rank(), d.sweep(), d.params(), d.stats(), d.seeds(), d.failed(), d.cancelled(),
          isBest, noise, front.contains(d), d.evidence().level(), d.choice());
      rowsOut.add(row);
      if (isBest) {
        bestRow = row;
        bestEvidence = d.evidence();
      } else if (d.stats() != null) {
        others.add(new PairedVerdicts.Candidate(row, d.evidence()));
      }
    }
    PairedSection paired = bestRow == null ? PairedSection.NONE
        : PairedVerdicts.against(new PairedVerdicts.Candidate(bestRow, bestEvidence), others, higher);
    List<ReferencePoint> refs = references.stream().filter(p -> matches(p, key))
        .sorted(Comparator.comparing(ReferencePoint::method).thenComparing(ReferencePoint::rank, RANKS)
            .thenComparing(ReferencePoint::label).thenComparingDouble(ReferencePoint::value))
        .toList();
    // a paper's number is compared with the one row of its method and rank; when a sweep left several
    // (no validation chose among them), none is picked here: choosing the best on the reported split
    // would flatter the reproduction
    List<PaperComparison> comparisons = refs.stream().map(p -> {
      List<Row> same = rowsOut.stream().filter(r -> same(r.method(), p.method()) && Objects.equals(r.rank(), p.rank())).toList();
      return new PaperComparison(p, same.size() == 1 ? same.get(0) : null);
    }).toList();
    List<Sensitivities.Measured> measured = points.keySet().stream().map(p -> new Sensitivities.Measured(p.method(), p.rank(),
        p.sweepPoint(), stats.get(p) == null ? Double.NaN : stats.get(p).mean(), mean(scores.get(p)), chosen.containsKey(p)))
        .toList();
    return new Table(key, higher, rowsOut, refs, comparisons, "metric-" + key.slug(), paired, List.copyOf(configurations),
        Sensitivities.of(measured, "lr-" + key.slug()));
  }

  /** The mean of validation rows' values; NaN for none. */
  private static double mean(Map<Long, ResultRow> validation) {
    return validation.values().stream().mapToDouble(ResultRow::value).average().orElse(Double.NaN);
  }

  /**
   * One note per model / task / metric / protocol whose paper-reported numbers match no table: no
   * finished cell of these results has them, so they are compared with nothing and listed here
   * instead of vanishing from the report.
   */
  static List<String> unmatchedReferenceNotes(List<Table> tables, List<ReferencePoint> references) {
    Set<ReferencePoint> shown = tables.stream().flatMap(t -> t.references().stream()).collect(Collectors.toSet());
    Map<String, List<ReferencePoint>> byTarget = new TreeMap<>();
    for (ReferencePoint p : references) {
      if (!shown.contains(p)) {
        byTarget.computeIfAbsent(p.model() + " / " + p.task() + " / " + p.metric()
            + (p.protocol() == null ? "" : ", protocol " + p.protocol()), k -> new ArrayList<>()).add(p);
      }
    }
    List<String> notes = new ArrayList<>();
    byTarget.forEach((target, points) -> notes.add(points.size() + " paper-reported number(s) for " + target
        + " not compared: no finished cell of these results has that model, task"
        + (points.get(0).protocol() == null ? " and metric" : ", metric and protocol") + " ("
        + points.stream().map(p -> p.rank() == null ? p.method() : p.method() + " r" + p.rank()).collect(Collectors.joining(", "))
        + "; " + points.stream().map(ReferencePoint::label).distinct().collect(Collectors.joining("; ")) + ")"));
    return notes;
  }

  static boolean matches(ReferencePoint p, TableKey key) {
    return same(p.task(), key.task()) && same(p.model(), key.model()) && same(p.metric(), key.metric())
        && (p.protocol() == null || same(p.protocol(), key.protocol()));
  }

  private static boolean same(String a, String b) {
    return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }

  /** The training-loss curve of the cells of one method, rank and sweep point (one per training, whatever it was evaluated on). */
  private record Curve(String method, Integer rank, String sweep) {}

  static List<LossChart> lossCharts(List<LoadedRow> rows, List<String> notes) throws IOException {
    // one entry per finished cell (a cell has one row per metric)
    Map<String, LoadedRow> cells = new TreeMap<>();
    for (LoadedRow lr : rows) {
      if (lr.row().status() == CellStatus.OK) {
        cells.putIfAbsent(lr.row().cellId(), lr);
      }
    }
    Map<List<String>, Map<Curve, List<TreeMap<Long, Double>>>> byTask = new TreeMap<>(
        Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
    List<LoadedRow> ordered = new ArrayList<>(cells.values());
    ordered.sort(Comparator.comparingLong(lr -> lr.row().seed()));
    for (LoadedRow lr : ordered) {
      MetricsLog log = MetricsLog.readIfPresent(lr.cellDir());
      if (log == null) {
        continue;
      }
      if (log.skippedLines() > 0) {
        notes.add("cell " + lr.row().cellId() + ": " + log.skippedLines() + " unreadable line(s) in metrics.jsonl skipped");
      }
      TreeMap<Long, Double> losses = log.losses();
      if (losses.isEmpty()) {
        continue;
      }
      ResultRow r = lr.row();
      byTask.computeIfAbsent(List.of(heading(r), r.model()), k -> new TreeMap<>(Comparator.comparing(Curve::method)
          .thenComparing(Curve::rank, RANKS).thenComparing(Curve::sweep)))
          .computeIfAbsent(new Curve(r.method(), r.rank(), r.sweep() == null ? "" : r.sweep()), k -> new ArrayList<>()).add(losses);
    }
    List<LossChart> out = new ArrayList<>();
    for (Map.Entry<List<String>, Map<Curve, List<TreeMap<Long, Double>>>> t : byTask.entrySet()) {
      List<LossSeries> series = new ArrayList<>();
      for (Map.Entry<Curve, List<TreeMap<Long, Double>>> m : t.getValue().entrySet()) {
        List<TreeMap<Long, Double>> seeds = m.getValue();
        Set<Long> common = new TreeSet<>(seeds.get(0).keySet());
        for (TreeMap<Long, Double> s : seeds) {
          common.retainAll(s.keySet());
        }
        if (common.isEmpty()) {
          notes.add("loss of " + m.getKey().method() + " r" + m.getKey().rank() + " on " + t.getKey().get(0)
              + ": the seeds share no logged step, so no mean curve is drawn");
          continue;
        }
        List<Long> steps = new ArrayList<>(common);
        List<Double> mean = new ArrayList<>();
        for (Long step : steps) {
          double sum = 0;
          for (TreeMap<Long, Double> s : seeds) {
            sum += s.get(step);
          }
          mean.add(sum / seeds.size());
        }
        series.add(new LossSeries(m.getKey().method(), m.getKey().rank(), m.getKey().sweep(), seeds.size(), steps, mean));
      }
      if (!series.isEmpty()) {
        out.add(new LossChart(t.getKey().get(0), t.getKey().get(1), series, "loss-" + Slug.of(t.getKey().get(0) + "-" + t.getKey().get(1))));
      }
    }
    return out;
  }

  static Provenance provenance(List<LoadedRow> rows, List<String> notes) {
    Map<String, LoadedRow> cells = new TreeMap<>();
    for (LoadedRow lr : rows) {
      cells.putIfAbsent(lr.row().cellId(), lr);
    }
    Map<String, Map<String, Integer>> facts = new TreeMap<>();
    for (LoadedRow lr : cells.values()) {
      ResultRow r = lr.row();
      count(facts, "results: harness_version", r.harnessVersion());
      count(facts, "results: git_commit", r.gitCommit());
      count(facts, "results: grid", r.grid());
      count(facts, "results: model", r.model());
    }
    int withProv = 0;
    for (LoadedRow lr : cells.values()) {
      Path p = lr.cellDir().resolve(ProvenanceIO.FILE);
      if (!Files.isRegularFile(p)) {
        continue;
      }
      try {
        ProvenanceIO.summaryFacts(p).forEach((fact, value) -> count(facts, fact, value));
        withProv++;
      } catch (IOException | RuntimeException e) {
        notes.add("cell " + lr.row().cellId() + ": provenance.json unreadable (" + e.getClass().getSimpleName() + ")");
      }
    }
    List<Fact> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> f : facts.entrySet()) {
      List<ValueCount> vs = f.getValue().entrySet().stream().map(e -> new ValueCount(e.getKey(), e.getValue())).toList();
      out.add(new Fact(f.getKey(), vs));
    }
    Set<String> protocols = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    for (LoadedRow lr : rows) {
      ResultRow r = lr.row();
      if (r.metric() != null && seen.add(r.task() + "\u0000" + r.metric() + "\u0000" + r.protocol() + r.protocolVersion())) {
        protocols.add(r.task() + ": " + r.metric() + (r.protocol() == null ? "" : " by " + r.protocol()
            + (r.protocolVersion() == null ? "" : "@v" + r.protocolVersion())));
      }
    }
    return new Provenance(cells.size(), withProv, out, List.copyOf(protocols));
  }

  private static void count(Map<String, Map<String, Integer>> facts, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    String v = value.length() > 100 ? value.substring(0, 97) + "..." : value;
    facts.computeIfAbsent(name, k -> new TreeMap<>()).merge(v, 1, Integer::sum);
  }
}
