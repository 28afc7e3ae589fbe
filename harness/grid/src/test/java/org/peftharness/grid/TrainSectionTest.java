package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrainSectionTest {
  @Test
  void eachSettingIsOneComponent() {
    assertThat(TrainSection.class.getRecordComponents()).hasSize(TrainSection.SECTION.settings().size());
    assertThat(EvalSection.class.getRecordComponents()).hasSize(EvalSection.SECTION.settings().size());
  }

  /** The defaults hash into every cell id: their canonical JSON is the one cells were always written with. */
  @Test
  void defaultsKeepTheirCanonicalJson() {
    assertThat(CanonicalJson.of(TrainSection.SECTION.defaults())).isEqualTo("{\"adam_beta1\":0.9,\"adam_beta2\":0.999,"
        + "\"adam_epsilon\":1.0E-8,\"batch_size\":8,\"epochs\":1,\"eval_each_epoch\":false,\"eval_every\":0,\"grad_accum\":1,"
        + "\"head_lr\":0.0,\"limit_train\":0,\"lr\":1.0E-4,\"max_grad_norm\":1.0,\"max_length\":128,\"max_steps\":0,"
        + "\"save_adapter\":false,\"schedule\":\"linear\",\"select\":\"last\",\"train_on_inputs\":false,\"warmup_ratio\":0.0,"
        + "\"warmup_steps\":0,\"weight_decay\":0.0}");
    assertThat(CanonicalJson.of(EvalSection.SECTION.defaults()))
        .isEqualTo("{\"batch_size\":32,\"limit\":0,\"max_new_tokens\":256,\"template\":\"task\"}");
  }

  @Test
  void typedFromAResolvedSection() {
    Map<String, Object> train = new TreeMap<>(TrainSection.SECTION.defaults());
    train.put("lr", 5e-5);
    train.put("schedule", "cosine");
    train.put("select", "best");
    train.put("grad_accum", 4);
    TrainSection t = TrainSection.of(train);
    assertThat(t.lr()).isEqualTo(5e-5);
    assertThat(t.schedule()).isEqualTo(TrainSection.LrSchedule.COSINE);
    assertThat(t.select()).isEqualTo(TrainSection.Select.BEST);
    assertThat(t.gradAccum()).isEqualTo(4);
    assertThat(t.adamBeta2()).isEqualTo(0.999);
    // a configuration recorded before a setting existed reads that setting's default
    train.remove("head_lr");
    assertThat(TrainSection.of(train).headLr()).isZero();
    assertThat(EvalSection.of(Map.of("batch_size", 4, "limit", 10, "max_new_tokens", 64))).isEqualTo(new EvalSection(4, 64, 10, "task", EvalSection.AS_TRAINED));
  }
}
