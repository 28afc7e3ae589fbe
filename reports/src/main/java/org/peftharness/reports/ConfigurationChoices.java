package org.peftharness.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.peftharness.reports.ReportModel.Choice;
import org.peftharness.reports.sweep.ValidationSelection.Candidate;
import org.peftharness.reports.sweep.ValidationSelection;
import org.peftharness.results.ResultRow;
import org.peftharness.results.sweep.SweepPoint;

/**
 * Which sweep point stands for each method variant of a table: per method, rank and method options
 * (init, alpha, ...: variants stay side by side), the point whose train settings have the best
 * validation score ({@link ValidationSelection}). Variants whose points sweep no train setting, or
 * have no validation score, keep one row per point.
 */
final class ConfigurationChoices {
  private ConfigurationChoices() {}

  /**
   * The choice for one variant.
   *
   * @param variant the method options the variant's points share
   * @param points every point of the variant, in {@link SweepPoint#ORDER} of their train settings
   * @param chosen the point that stands for the variant
   */
  record VariantChoice(SweepPoint variant, List<TablePoint> points, TablePoint chosen, Choice choice) {}

  private record Variant(String method, Integer rank, String options) {}

  /**
   * @param points the table's points
   * @param validation each point's validation rows by seed (absent or empty when none)
   */
  static List<VariantChoice> of(List<TablePoint> points, Map<TablePoint, Map<Long, ResultRow>> validation,
      boolean higherIsBetter) {
    Map<Variant, List<TablePoint>> variants = new LinkedHashMap<>();
    for (TablePoint p : points) {
      variants.computeIfAbsent(new Variant(p.method(), p.rank(), p.sweepPoint().methodOptions().text()),
          k -> new ArrayList<>()).add(p);
    }
    List<VariantChoice> out = new ArrayList<>();
    for (List<TablePoint> ps : variants.values()) {
      if (ps.stream().allMatch(p -> p.sweepPoint().trainSettings().isEmpty())) {
        continue; // no train setting was swept: nothing to choose
      }
      List<TablePoint> ordered = new ArrayList<>(ps);
      ordered.sort(Comparator.comparing(p -> p.sweepPoint().trainSettings(), SweepPoint.ORDER));
      List<Candidate<TablePoint>> candidates = new ArrayList<>();
      for (TablePoint p : ordered) {
        Map<Long, Double> scores = new TreeMap<>();
        validation.getOrDefault(p, Map.of()).forEach((seed, r) -> scores.put(seed, r.value()));
        if (!scores.isEmpty()) {
          candidates.add(new Candidate<>(p, scores));
        }
      }
      // the primary validation metric's own direction (a table of another metric chooses by it too)
      ResultRow any = candidates.isEmpty() ? null : validation.get(candidates.get(0).point()).values().iterator().next();
      boolean higher = any == null || any.higherIsBetter() == null ? higherIsBetter : any.higherIsBetter();
      Candidate<TablePoint> best = ValidationSelection.choose(candidates, higher);
      if (best == null) {
        continue; // no validation score: each point stays a row of its own
      }
      TreeSet<Integer> examples = new TreeSet<>();
      validation.get(best.point()).values().stream().map(ResultRow::n).filter(Objects::nonNull).forEach(examples::add);
      SweepPoint chosen = best.point().sweepPoint();
      out.add(new VariantChoice(chosen.methodOptions(), List.copyOf(ordered), best.point(),
          new Choice(configuration(best.point()), any.metric(), best.mean(), best.validation().size(), List.copyOf(examples),
              candidates.size())));
    }
    return out;
  }

  /**
   * A point's swept train settings as the report names them ({@code lr=4.0e-4}); a point of another
   * grid that swept none has its grid's.
   */
  static String configuration(TablePoint p) {
    SweepPoint train = p.sweepPoint().trainSettings();
    return train.isEmpty() ? "the grid's train settings" : train.text();
  }
}
