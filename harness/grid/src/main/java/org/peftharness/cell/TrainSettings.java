package org.peftharness.cell;

import java.util.Map;
import org.peftharness.grid.EvalSection;
import org.peftharness.grid.TrainSection;
import org.peftharness.train.Schedule;
import org.peftharness.train.TrainConfig;

/** A cell's resolved {@code train:} and {@code eval:} sections, typed once from its configuration. */
record TrainSettings(TrainSection train, EvalSection eval) {
  /**
   * From a cell's configuration; its {@code eval} section is there only when the cell evaluates
   * during training (each evaluation carries its own otherwise), and reads as the defaults when absent.
   */
  @SuppressWarnings("unchecked")
  static TrainSettings of(Map<String, Object> config) {
    Map<String, Object> eval = (Map<String, Object>) config.get("eval");
    return new TrainSettings(TrainSection.of((Map<String, Object>) config.get("train")),
        EvalSection.of(eval == null ? EvalSection.SECTION.defaults() : eval));
  }

  Schedule.Kind schedule() {
    return switch (train.schedule()) {
      case CONSTANT -> train.warmupSteps() > 0 || train.warmupRatio() > 0 ? Schedule.Kind.CONSTANT_WITH_WARMUP
          : Schedule.Kind.CONSTANT;
      case COSINE -> Schedule.Kind.COSINE;
      case LINEAR -> Schedule.Kind.LINEAR;
    };
  }

  TrainConfig config(long seed, double eps) {
    return new TrainConfig(train.lr(), train.weightDecay(), train.adamBeta1(), train.adamBeta2(), eps, schedule(),
        train.warmupSteps(), train.warmupRatio(), train.maxGradNorm(), train.gradAccum(), train.epochs(), train.maxSteps(),
        seed, 1, true, train.neftuneNoiseAlpha());
  }

  double headLr() {
    return train.headLr() > 0 ? train.headLr() : train.lr();
  }
}
