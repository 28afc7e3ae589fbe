package org.peftharness.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.reports.ReportModel.LearningRate;
import org.peftharness.reports.ReportModel.Sensitivity;
import org.peftharness.reports.ReportModel.SensitivitySeries;
import org.peftharness.results.sweep.SweepPoint;
import org.peftharness.results.sweep.TrainSettings;

/**
 * A table's scores against the learning rate: how fragile each method is to its one most important
 * setting. One series per method, rank and rest of the sweep point (method options and any other
 * swept train setting), so a curve never mixes two configurations at one learning rate.
 */
final class Sensitivities {
  private Sensitivities() {}

  /**
   * One point of the table's sweep.
   *
   * @param reported the mean over seeds on the reported split; NaN when no seed finished
   * @param validation the mean validation score over seeds; NaN when none
   * @param chosen whether validation chose this point for its variant
   */
  record Measured(String method, Integer rank, SweepPoint sweep, double reported, double validation, boolean chosen) {}

  private record SeriesKey(String method, Integer rank, String rest) {}

  private record At(double lr, Measured point) {}

  /** The sensitivity of a table, or null when no point sweeps a positive numeric learning rate. */
  static Sensitivity of(List<Measured> points, String plotName) {
    TreeMap<Double, String> lrs = new TreeMap<>();
    Map<SeriesKey, List<At>> series = new TreeMap<>(Comparator.comparing(SeriesKey::method)
        .thenComparing(SeriesKey::rank, Comparator.nullsFirst(Integer::compareTo)).thenComparing(SeriesKey::rest));
    for (Measured m : points) {
      SweepPoint.Setting lr = m.sweep().get(TrainSettings.LR);
      Double value = lr == null ? null : lr.number();
      if (value == null || !(value > 0) || Double.isInfinite(value)) {
        continue; // not on a log axis
      }
      lrs.putIfAbsent(value, lr.value());
      series.computeIfAbsent(new SeriesKey(m.method(), m.rank(), m.sweep().without(TrainSettings.LR).text()),
          k -> new ArrayList<>()).add(new At(value, m));
    }
    if (lrs.isEmpty()) {
      return null;
    }
    List<Double> axis = new ArrayList<>(lrs.keySet());
    List<SensitivitySeries> out = new ArrayList<>();
    series.forEach((key, ats) -> {
      List<Double> reported = new ArrayList<>();
      List<Double> validation = new ArrayList<>();
      int chosen = -1;
      for (int i = 0; i < axis.size(); i++) {
        reported.add(Double.NaN);
        validation.add(Double.NaN);
      }
      for (At a : ats) {
        int i = axis.indexOf(a.lr());
        reported.set(i, a.point().reported());
        validation.set(i, a.point().validation());
        if (a.point().chosen()) {
          chosen = i;
        }
      }
      out.add(new SensitivitySeries(key.method(), key.rank(), key.rest(), List.copyOf(reported), List.copyOf(validation), chosen));
    });
    List<LearningRate> rates = lrs.entrySet().stream().map(e -> new LearningRate(e.getKey(), e.getValue())).toList();
    return new Sensitivity(rates, out, plotName);
  }
}
