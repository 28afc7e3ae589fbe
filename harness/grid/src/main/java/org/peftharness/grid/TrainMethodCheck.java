package org.peftharness.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;
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
        errors.add(error(spec, c.method(), TrainSection.LORAPLUS_LR_RATIO.name(), "LoRA+ gives B matrices a larger learning "
            + "rate, and " + c.method() + " trains no B (it trains " + methods.trainableRoles(c.method()) + "); "
            + "use it with a method that has one (lora, pissa, lora-ga, lora-fa)"));
      }
      if (t.loraplusLrEmbedding() != TrainSection.LORAPLUS_EMBEDDING_DEFAULT) {
        errors.add(error(spec, c.method(), TrainSection.LORAPLUS_LR_EMBEDDING.name(), "the harness adapts no embedding layer, "
            + "so LoRA+'s embedding learning rate has nothing to apply to; leave it at its default "
            + TrainSection.LORAPLUS_EMBEDDING_DEFAULT));
      }
      methods.trainSettingProblem(c.method(), t.lr(), t.warmupRatio())
          .ifPresent(p -> errors.add(error(spec, c.method(), p.key(), p.problem())));
      if (t.neftuneNoiseAlpha() > 0 && methods.trainableRoles(c.method()).isEmpty()) {
        errors.add(error(spec, c.method(), TrainSection.NEFTUNE_NOISE_ALPHA.name(),
            "NEFTune adds noise during training, and " + c.method() + " trains nothing"));
      }
    }
  }

  private static InvalidInputException error(GridSpec spec, String method, String key, String problem) {
    List<YNode> places = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (MethodEntry me : spec.methods()) {
      if (me.name().equals(method)) {
        places.add(me.train());
        paths.add("methods." + me.name() + ".train");
      }
    }
    for (int i = 0; i < spec.overrides().size(); i++) {
      places.add(spec.overrides().get(i).train());
      paths.add("overrides[" + i + "].train");
    }
    places.add(spec.train());
    paths.add("train");
    for (int i = 0; i < places.size(); i++) {
      if (places.get(i) instanceof YNode.YMap m && m.entries().containsKey(key)) {
        YNode n = m.entries().get(key);
        return new InvalidInputException(n.source(), n.line(), paths.get(i) + "." + key, problem);
      }
    }
    return new InvalidInputException(spec.file().toString(), spec.line("train"), "train." + key, problem);
  }
}
