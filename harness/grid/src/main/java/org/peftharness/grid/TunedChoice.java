package org.peftharness.grid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.sweep.SweepPoint;

/**
 * The choice a tuned cell (see {@link TunedCells}) makes when it runs: among the points of its
 * sweep, the one whose mean validation score over the tuning seeds is best, by the first metric
 * the validation rows record (the task's primary one), on a tie the first in {@link SweepPoint#ORDER}
 * (ascending values, however the grid lists them), the order in which the report breaks the same tie. A
 * point with a failed seed is out of the running; the choice waits while any sweep cell has no
 * validation row yet. It reads validation rows only, never a reported split's.
 */
public final class TunedChoice {
  /** What a tuned cell can do now. */
  public sealed interface Outcome {}

  /** Train at the chosen point: the cell with the chosen values in its configuration and sweep. */
  public record Ready(Cell cell) implements Outcome {}

  /** Some sweep cells have not been validated yet (a later run will choose). */
  public record Waiting(int done, int of) implements Outcome {}

  /** No point of the sweep has every tuning seed validated: the tuned cell fails with this reason. */
  public record Failed(String reason) implements Outcome {}

  private TunedChoice() {}

  @SuppressWarnings("unchecked")
  public static Outcome of(Cell cell, ResultsFolder folder) {
    Map<String, Object> tuned = (Map<String, Object>) cell.config().get(TunedCells.TUNED);
    List<Map<String, Object>> from = (List<Map<String, Object>>) tuned.get("from");
    Map<String, Point> points = new LinkedHashMap<>();
    int done = 0;
    for (Map<String, Object> f : from) {
      Map<String, Object> values = (Map<String, Object>) f.get("values");
      Point p = points.computeIfAbsent(CanonicalJson.of(values),
          k -> new Point(values, (Map<String, Object>) f.get("sweep"), new ArrayList<>()));
      ResultRow first = folder.rows((String) f.get("cell")).stream().filter(ResultRow::isValidation).findFirst().orElse(null);
      if (first == null) {
        continue;
      }
      done++;
      p.scores().add(first.status() == CellStatus.OK && first.value() != null
          ? (Boolean.FALSE.equals(first.higherIsBetter()) ? -first.value() : first.value()) : Double.NaN);
    }
    if (done < from.size()) {
      return new Waiting(done, from.size());
    }
    Point best = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    Map<String, Object> means = new TreeMap<>();
    List<Point> ordered = points.values().stream()
        .sorted(Comparator.comparing((Point p) -> SweepPoint.parse(p.text()), SweepPoint.ORDER)).toList();
    for (Point p : ordered) {
      double mean = p.scores().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      means.put(p.text(), Double.isNaN(mean) ? "failed" : mean);
      if (!Double.isNaN(mean) && (best == null || mean > bestMean)) {
        best = p;
        bestMean = mean;
      }
    }
    if (best == null) {
      return new Failed("every point of the sweep it is tuned on failed on a tuning seed: " + String.join(", ",
          points.values().stream().map(Point::text).toList()));
    }
    return new Ready(resolved(cell, best, means));
  }

  /** One point of the sweep: its values, how the sweep writes them, and the validation score of each tuning seed. */
  private record Point(Map<String, Object> values, Map<String, Object> sweep, List<Double> scores) {
    String text() {
      StringBuilder sb = new StringBuilder();
      sweep.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
      return sb.toString();
    }
  }

  @SuppressWarnings("unchecked")
  private static Cell resolved(Cell cell, Point best, Map<String, Object> means) {
    Map<String, Object> config = new TreeMap<>(cell.config());
    Map<String, Object> train = new TreeMap<>((Map<String, Object>) config.get("train"));
    train.putAll(best.values());
    config.put("train", train);
    Map<String, Object> tuned = new TreeMap<>((Map<String, Object>) config.get(TunedCells.TUNED));
    tuned.put(TunedCells.CHOSEN, best.values());
    tuned.put(TunedCells.SCORES, means);
    config.put(TunedCells.TUNED, tuned);
    Map<String, String> sweep = new LinkedHashMap<>(cell.sweep());
    best.sweep().forEach((k, v) -> sweep.put(k, String.valueOf(v)));
    // the id and its canonical JSON stay the plan's: the choice is recorded, not hashed
    return new Cell(cell.index(), cell.id(), cell.model(), cell.method(), cell.rank(), cell.trainOn(), cell.seed(), config,
        cell.canonicalJson(), cell.evaluations(), sweep);
  }

  /** How a listing names a waiting cell's state. */
  public static String describe(Waiting w) {
    return String.format(Locale.ROOT, "waiting for its sweep: %d of %d tuning cells validated", w.done(), w.of());
  }
}
