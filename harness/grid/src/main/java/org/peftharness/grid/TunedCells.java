package org.peftharness.grid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.Hashes;

/**
 * A grid's {@code tune:} block applied to its cells. Cells that differ only in the tuned settings
 * and the seed form a group; the group's cells with a tuning seed stay as they are (the sweep), and
 * its cells with any other seed become one <em>tuned</em> cell per seed, placed after every cell of
 * the sweep. A tuned cell's configuration has no value for the tuned settings; it names the sweep
 * cells it is chosen from, with each one's point, under {@value #TUNED}. Its id is the hash of
 * that, so it is content-addressed before the choice is made; {@link TunedChoice} makes the
 * choice when the cell runs, from the sweep cells' validation rows, and the chosen values are
 * added to the configuration the cell records ({@link #asPlanned} takes them out again).
 */
public final class TunedCells {
  /** The configuration key of a tuned cell's choice. */
  public static final String TUNED = "tuned";
  /** What {@link TunedChoice} adds under {@value #TUNED}: the chosen point and each point's mean validation score. */
  static final String CHOSEN = "chosen";
  static final String SCORES = "validation_means";
  /** How the plan writes a tuned setting's value until it is chosen (labels, listings). */
  static final String PENDING_VALUE = "tuned";

  private TunedCells() {}

  /** The cells with {@code tune:} applied, indexed anew in plan order; the same cells when the grid has none. */
  static List<Cell> apply(List<Cell> cells, GridSpec spec, List<InvalidInputException> errors) {
    Tune tune = spec.tune();
    if (tune == null || !check(tune, cells, spec, errors)) {
      return cells;
    }
    Map<String, List<Cell>> groups = new LinkedHashMap<>();
    for (Cell c : cells) {
      groups.computeIfAbsent(groupKey(c, tune), k -> new ArrayList<>()).add(c);
    }
    List<Cell> sweep = new ArrayList<>();
    List<Cell> tuned = new ArrayList<>();
    for (List<Cell> group : groups.values()) {
      List<Cell> tuning = group.stream().filter(c -> tune.seeds().contains(c.seed())).toList();
      sweep.addAll(tuning);
      for (long seed : spec.seeds()) {
        if (!tune.seeds().contains(seed)) {
          group.stream().filter(c -> c.seed() == seed).findFirst().ifPresent(t -> tuned.add(tunedCell(t, tuning, tune)));
        }
      }
    }
    List<Cell> out = new ArrayList<>();
    sweep.forEach(c -> out.add(at(out.size(), c)));
    tuned.forEach(c -> out.add(at(out.size(), c)));
    return out;
  }

  /** Whether a cell's training is chosen on validation when it runs. */
  public static boolean isTuned(Cell c) {
    return c.config().containsKey(TUNED);
  }

  /** A recorded configuration as the plan hashed it: a tuned cell's chosen values taken out again. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asPlanned(Map<String, Object> config) {
    if (!(config.get(TUNED) instanceof Map<?, ?> t) || !t.containsKey(CHOSEN)) {
      return config;
    }
    Map<String, Object> tuned = new TreeMap<>((Map<String, Object>) t);
    Map<String, Object> chosen = (Map<String, Object>) tuned.remove(CHOSEN);
    tuned.remove(SCORES);
    Map<String, Object> train = new TreeMap<>((Map<String, Object>) config.get("train"));
    chosen.keySet().forEach(train::remove);
    Map<String, Object> out = new TreeMap<>(config);
    out.put("train", train);
    out.put(TUNED, tuned);
    return out;
  }

  private static boolean check(Tune tune, List<Cell> cells, GridSpec spec, List<InvalidInputException> errors) {
    int before = errors.size();
    String src = tune.node().source();
    int line = tune.node().line();
    for (String key : tune.over()) {
      if (!TrainSection.SECTION.settings().containsKey(key)) {
        errors.add(new InvalidInputException(src, line, "tune.over", "'" + key + "' is not a train setting; tune chooses "
            + "among the values of a train setting the grid sweeps, such as lr"));
      } else if (cells.stream().noneMatch(c -> c.sweep().containsKey(key))) {
        errors.add(new InvalidInputException(src, line, "tune.over", "'" + key + "' is not swept: write its values as a list, "
            + "e.g. train: {" + key + ": [...]}"));
      }
    }
    for (long seed : tune.seeds()) {
      if (!spec.seeds().contains(seed)) {
        errors.add(new InvalidInputException(src, line, "tune.seeds", "seed " + seed + " is not one of the grid's seeds "
            + spec.seeds()));
      }
    }
    if (tune.seeds().isEmpty()) {
      errors.add(new InvalidInputException(src, line, "tune.seeds", "is empty: name the seeds the sweep runs with"));
    }
    if (cells.stream().anyMatch(c -> c.validation() == null)) {
      errors.add(new InvalidInputException(src, line, "tune", "chooses on held-out validation examples, never on the reported "
          + "split: set train.validation_size (e.g. 500) so that every cell holds some out"));
    }
    return errors.size() == before;
  }

  /** The configuration without the seed and the tuned settings: what the cells of one group share. */
  @SuppressWarnings("unchecked")
  private static String groupKey(Cell c, Tune tune) {
    Map<String, Object> config = new TreeMap<>(c.config());
    config.remove("seed");
    Map<String, Object> train = new TreeMap<>((Map<String, Object>) config.get("train"));
    tune.over().forEach(train::remove);
    config.put("train", train);
    return CanonicalJson.of(config);
  }

  @SuppressWarnings("unchecked")
  private static Cell tunedCell(Cell template, List<Cell> tuning, Tune tune) {
    Map<String, Object> config = new TreeMap<>(template.config());
    Map<String, Object> train = new TreeMap<>((Map<String, Object>) config.get("train"));
    tune.over().forEach(train::remove);
    config.put("train", train);
    List<Map<String, Object>> from = new ArrayList<>();
    for (Cell t : tuning) {
      Map<String, Object> values = new TreeMap<>();
      Map<String, Object> sweep = new TreeMap<>();
      for (String key : tune.over()) {
        values.put(key, ((Map<String, Object>) t.config().get("train")).get(key));
        sweep.put(key, t.sweep().get(key));
      }
      from.add(Map.of("cell", t.id(), "seed", t.seed(), "values", values, "sweep", sweep));
    }
    config.put(TUNED, Map.of("over", tune.over(), "seeds", tune.seeds(), "from", from));
    String json = CanonicalJson.of(config);
    String id = Hashes.sha256(json);
    List<Evaluation> evaluations = new ArrayList<>();
    for (Evaluation e : template.evaluations()) {
      Map<String, Object> ec = new TreeMap<>(e.config());
      ec.put("cell", id);
      String ej = CanonicalJson.of(ec);
      evaluations.add(new Evaluation(e.index(), Hashes.sha256(ej), e.task(), ec, ej));
    }
    Map<String, String> sweep = new LinkedHashMap<>(template.sweep());
    tune.over().forEach(k -> sweep.replace(k, PENDING_VALUE));
    return new Cell(template.index(), id, template.model(), template.method(), template.rank(), template.trainOn(),
        template.seed(), config, json, evaluations, sweep);
  }

  static Cell at(int index, Cell c) {
    return new Cell(index, c.id(), c.model(), c.method(), c.rank(), c.trainOn(), c.seed(), c.config(), c.canonicalJson(),
        c.evaluations(), c.sweep());
  }
}
