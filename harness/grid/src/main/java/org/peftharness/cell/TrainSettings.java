package org.peftharness.cell;

import java.util.Map;
import org.peftharness.train.Schedule;
import org.peftharness.train.TrainConfig;

/** A cell's resolved {@code train:} and {@code eval:} sections, typed. */
record TrainSettings(Map<String, Object> train, Map<String, Object> eval) {
  double d(String k) {
    return ((Number) train.get(k)).doubleValue();
  }

  int i(String k) {
    return ((Number) train.get(k)).intValue();
  }

  int evalInt(String k) {
    return ((Number) eval.get(k)).intValue();
  }

  boolean b(String k) {
    return (Boolean) train.get(k);
  }

  String s(String k) {
    return (String) train.get(k);
  }

  Schedule.Kind schedule() {
    switch (s("schedule")) {
      case "constant":
        return i("warmup_steps") > 0 || d("warmup_ratio") > 0 ? Schedule.Kind.CONSTANT_WITH_WARMUP : Schedule.Kind.CONSTANT;
      case "cosine":
        return Schedule.Kind.COSINE;
      default:
        return Schedule.Kind.LINEAR;
    }
  }

  TrainConfig config(long seed, double eps) {
    return new TrainConfig(d("lr"), d("weight_decay"), d("adam_beta1"), d("adam_beta2"), eps, schedule(),
        i("warmup_steps"), d("warmup_ratio"), d("max_grad_norm"), i("grad_accum"), i("epochs"), i("max_steps"), seed,
        1, true);
  }

  double headLr() {
    return d("head_lr") > 0 ? d("head_lr") : d("lr");
  }
}
