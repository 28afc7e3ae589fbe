package org.peftharness.grid;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.model.Precision;

/**
 * A cell builds one graph, so all its evaluations run in one precision: a cell that trains runs
 * them in {@code train.precision} (the model it trained), and one that trains nothing in the one
 * precision its evaluations agree on. Evaluating a trained model in another precision would need
 * a second graph, which the harness does not build; such a grid is refused, never silently run
 * in the training's precision.
 */
final class PrecisionCheck {
  private PrecisionCheck() {}

  @SuppressWarnings("unchecked")
  static void check(GridSpec spec, List<Cell> cells, MethodCatalog methods, List<InvalidInputException> errors) {
    Set<String> reported = new LinkedHashSet<>();
    for (Cell c : cells) {
      TrainSection train = TrainSection.of((Map<String, Object>) c.config().get("train"));
      boolean trains = !methods.trainableRoles(c.method()).isEmpty();
      Set<Precision> asked = new LinkedHashSet<>();
      for (Evaluation e : c.evaluations()) {
        asked.add(EvalSection.of((Map<String, Object>) e.config().get("eval")).precision(train));
      }
      String problem = null;
      if (trains && !asked.isEmpty() && !asked.equals(Set.of(train.precision()))) {
        problem = c.method() + " trains in " + train.precision().label() + " (train.precision), and a trained model is "
            + "evaluated in the precision it trained in; set eval.precision to as_trained or " + train.precision().label()
            + ", or train.precision to the one you want";
      } else if (!trains && asked.size() > 1) {
        problem = "the evaluations of one " + c.method() + " cell (" + c.model() + ") ask for " + labels(asked)
            + "; one cell runs one precision: give them one eval.precision";
      }
      if (problem != null && reported.add(problem)) {
        errors.add(SettingError.at(spec, c.method(), "eval", EvalSection.PRECISION.name(), problem));
      }
    }
  }

  private static String labels(Set<Precision> ps) {
    return String.join(" and ", ps.stream().map(Precision::label).toList());
  }
}
