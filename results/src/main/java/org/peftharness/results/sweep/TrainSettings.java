package org.peftharness.results.sweep;

import java.util.Set;

/**
 * The names of the grid's {@code train:} settings, as a sweep point names them. They mirror the
 * keys of harness/grid TrainSection.SECTION (the results module, which the report reads, does not
 * depend on the grid module); the cli module's TrainSettingNamesTest fails when the two drift apart. Every other
 * key of a sweep point is a method option ({@code init}, {@code alpha}, {@code dropout}): a variant
 * of the method, compared side by side, never tuned away by validation.
 */
public final class TrainSettings {
  private TrainSettings() {}

  /** The learning rate: the axis of the sensitivity view. */
  public static final String LR = "lr";

  public static final Set<String> NAMES = Set.of(LR, "head_lr", "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon",
      "schedule", "warmup_ratio", "warmup_steps", "max_grad_norm", "epochs", "max_steps", "batch_size", "grad_accum",
      "max_length", "train_on_inputs", "limit_train", "eval_every", "eval_each_epoch", "select", "save_adapter",
      "loraplus_lr_ratio", "loraplus_lr_embedding", "neftune_noise_alpha", "validation_size");

  /** The {@code train:} keys that name a variant, shown side by side like a method option. */
  public static final Set<String> VARIANTS = Set.of("precision");

  public static boolean isTrainSetting(String key) {
    return NAMES.contains(key);
  }
}
