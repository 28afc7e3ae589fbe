package org.peftharness.grid;

import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.Role;

/**
 * The {@code train:} settings that only some methods can take, checked for every cell at plan
 * time: LoRA+ needs a trainable B matrix (LoRA, PiSSA, LoRA-GA, LoRA-FA; not LoRA-XS / LoRA-SB,
 * which train R, nor full fine-tuning or {@code none}); NEFTune needs a method that trains; and
 * {@code loraplus_lr_embedding} has nothing to apply to, since the harness adapts no embedding;
 * and whatever a method says it cannot start from (LoRA-SB without warmup).
 * An error points at the first place the grid sets the key (the method entry, an override, the
 * grid's {@code train:}).
 */
final class TrainMethodCheck {
  private TrainMethodCheck() {}

  static void check(GridSpec spec, List<Cell> cells, MethodCatalog methods, List<InvalidInputException> errors) {
    for (Cell c : cells) {
      @SuppressWarnings("unchecked")
      TrainSection t = TrainSection.of((Map<String, Object>) c.config().get("train"));
      if (t.loraplusLrRatio() > 0 && !methods.trainableRoles(c.method()).contains(Role.B)) {
        errors.add(SettingError.at(spec, c.method(), "train", TrainSection.LORAPLUS_LR_RATIO.name(),
            "LoRA+ gives B matrices a larger learning "
            + "rate, and " + c.method() + " trains no B (it trains " + methods.trainableRoles(c.method()) + "); "
            + "use it with a method that has one (lora, pissa, lora-ga, lora-fa)"));
      }
      if (t.loraplusLrEmbedding() != TrainSection.LORAPLUS_EMBEDDING_DEFAULT) {
        errors.add(SettingError.at(spec, c.method(), "train", TrainSection.LORAPLUS_LR_EMBEDDING.name(),
            "the harness adapts no embedding layer, "
            + "so LoRA+'s embedding learning rate has nothing to apply to; leave it at its default "
            + TrainSection.LORAPLUS_EMBEDDING_DEFAULT));
      }
      methods.trainSettingProblem(c.method(), t.lr(), t.warmupRatio())
          .ifPresent(p -> errors.add(SettingError.at(spec, c.method(), "train", p.key(), p.problem())));
      if (t.neftuneNoiseAlpha() > 0 && methods.trainableRoles(c.method()).isEmpty()) {
        errors.add(SettingError.at(spec, c.method(), "train", TrainSection.NEFTUNE_NOISE_ALPHA.name(),
            "NEFTune adds noise during training, and " + c.method() + " trains nothing"));
      }
    }
  }
}
