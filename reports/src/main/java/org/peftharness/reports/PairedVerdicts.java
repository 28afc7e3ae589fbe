package org.peftharness.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peftharness.reports.ReportModel.ExampleLevel;
import org.peftharness.reports.ReportModel.Paired;
import org.peftharness.reports.ReportModel.PairedSection;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.SeedMcNemar;
import org.peftharness.reports.stats.ExampleValues;
import org.peftharness.reports.stats.PerExampleData;
import org.peftharness.results.stats.ExampleError;
import org.peftharness.results.stats.McNemar;
import org.peftharness.results.stats.PairedBootstrap;
import org.peftharness.results.stats.PairedBootstrap.SeedPair;

/**
 * The paired verdicts of a table: every other finished row against the table's best, on the
 * examples and seeds both have. The best is the reference because it is the one comparison every
 * table has (a table need not contain LoRA, nor one rank of it) and the question a ranking raises
 * is whether the leader is really ahead; it is the same reference as the "within seed noise" note.
 * Seeds are matched by seed number, examples by example index.
 */
final class PairedVerdicts {
  private PairedVerdicts() {}

  /** What per-example data a row's seeds have: values by seed, and why the others have none. */
  record Evidence(Map<Long, ExampleValues> values, ExampleLevel level) {
    static Evidence of(List<LoadedRow> seeds, PerExampleData data) {
      Map<Long, ExampleValues> values = new LinkedHashMap<>();
      List<Long> withData = new ArrayList<>();
      List<ExampleError> errors = new ArrayList<>();
      List<Long> missingSeeds = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (LoadedRow lr : seeds) {
        PerExampleData.Found f = data.of(lr.cellDir(), lr.row());
        if (f.values() == null) {
          missingSeeds.add(lr.row().seed());
          missing.add(f.missing());
          continue;
        }
        values.put(lr.row().seed(), f.values());
        withData.add(lr.row().seed());
        errors.add(f.values().error());
      }
      return new Evidence(values, new ExampleLevel(List.copyOf(withData), List.copyOf(errors), List.copyOf(missingSeeds),
          List.copyOf(missing)));
    }

    /** The reasons, once each: "no verdicts.jsonl". */
    String why() {
      return String.join("; ", new LinkedHashSet<>(level.missing()));
    }
  }

  record Candidate(Row row, Evidence evidence) {}

  static PairedSection against(Candidate best, List<Candidate> others, boolean higherIsBetter) {
    List<Paired> out = new ArrayList<>();
    for (Candidate c : others) {
      out.add(compare(c, best, higherIsBetter));
    }
    return new PairedSection(best.row(), out);
  }

  private static Paired compare(Candidate a, Candidate best, boolean higherIsBetter) {
    if (a.evidence().values().isEmpty()) {
      return new Paired(a.row(), null, List.of(), "no per-example data (" + a.evidence().why() + ")");
    }
    if (best.evidence().values().isEmpty()) {
      return new Paired(a.row(), null, List.of(), "no per-example data for the best (" + best.evidence().why() + ")");
    }
    List<Long> seeds = new ArrayList<>(new TreeSet<>(a.evidence().values().keySet()));
    seeds.retainAll(best.evidence().values().keySet());
    if (seeds.isEmpty()) {
      return new Paired(a.row(), null, List.of(), "no per-example data: no seed in common with the best");
    }
    TreeSet<Integer> shared = null;
    for (long s : seeds) {
      for (ExampleValues v : List.of(a.evidence().values().get(s), best.evidence().values().get(s))) {
        TreeSet<Integer> idx = new TreeSet<>();
        for (int i : v.indices()) {
          idx.add(i);
        }
        if (shared == null) {
          shared = idx;
        } else {
          shared.retainAll(idx);
        }
      }
    }
    if (shared.isEmpty()) {
      return new Paired(a.row(), null, List.of(), "no per-example data: no example in common with the best");
    }
    int[] indices = shared.stream().mapToInt(Integer::intValue).toArray();
    List<SeedPair> pairs = new ArrayList<>();
    List<SeedMcNemar> tests = new ArrayList<>();
    for (long s : seeds) {
      ExampleValues va = a.evidence().values().get(s).restrict(indices);
      ExampleValues vb = best.evidence().values().get(s).restrict(indices);
      pairs.add(new SeedPair(s, va, vb));
      if (va.isAccuracy()) {
        tests.add(new SeedMcNemar(s, McNemar.of(va.correct(), vb.correct())));
      }
    }
    return new Paired(a.row(), PairedBootstrap.compare(indices.length, pairs, higherIsBetter), List.copyOf(tests), null);
  }
}
