package org.peftharness.grid;

import java.util.List;
import java.util.Map;
import org.peftharness.model.Precision;

/**
 * A cell's {@code train:} settings, typed. Each component is one {@link Setting} below (key,
 * default, range, help), in the same order; {@link #SECTION} is the schema the grid is checked
 * against. The optimizer, schedule, warmup, clipping, batch and accumulation defaults are those of
 * Hugging Face's TrainingArguments (transformers/training_args.py); lr (there 5e-5) and epochs
 * (there 3) are the harness's own.
 */
public record TrainSection(double lr, double headLr, double weightDecay, double adamBeta1, double adamBeta2,
    double adamEpsilon, LrSchedule schedule, double warmupRatio, int warmupSteps, double maxGradNorm, int epochs,
    int maxSteps, int batchSize, int gradAccum, int maxLength, boolean trainOnInputs, int limitTrain, int evalEvery,
    boolean evalEachEpoch, Select select, boolean saveAdapter, double loraplusLrRatio, double loraplusLrEmbedding,
    double neftuneNoiseAlpha, int validationSize, Precision precision) {

  /** The learning-rate schedule after warmup. */
  public enum LrSchedule { CONSTANT, LINEAR, COSINE }

  /**
   * Which model a cell reports: the one at the end of training; the best of the evaluations during
   * training on the reported split itself (the GLUE papers' protocol: it reads the split it reports,
   * so its numbers are optimistic); or the best on held-out validation examples, restored before the
   * reported split is evaluated once.
   */
  public enum Select { LAST, BEST, VALIDATION }

  public static final Setting<Double> LR = Setting.real("lr", 1e-4, 0, 10, "peak learning rate");
  public static final Setting<Double> HEAD_LR =
      Setting.real("head_lr", 0, 0, 10, "learning rate of a classification/regression head; 0 = same as lr");
  public static final Setting<Double> WEIGHT_DECAY = Setting.real("weight_decay", 0.0, 0, 1, "AdamW decoupled weight decay");
  public static final Setting<Double> ADAM_BETA1 = Setting.real("adam_beta1", 0.9, 0, 1, "AdamW beta1");
  public static final Setting<Double> ADAM_BETA2 = Setting.real("adam_beta2", 0.999, 0, 1, "AdamW beta2");
  public static final Setting<Double> ADAM_EPSILON =
      Setting.real("adam_epsilon", 1e-8, 0, 1, "AdamW epsilon (added after the square root)");
  public static final Setting<LrSchedule> SCHEDULE =
      Setting.choice("schedule", LrSchedule.LINEAR, "learning-rate schedule after warmup");
  public static final Setting<Double> WARMUP_RATIO =
      Setting.real("warmup_ratio", 0.0, 0, 1, "warmup as a fraction of the optimizer steps (ceil)");
  public static final Setting<Integer> WARMUP_STEPS =
      Setting.integer("warmup_steps", 0, 0, "warmup steps; when > 0 it wins over warmup_ratio");
  public static final Setting<Double> MAX_GRAD_NORM =
      Setting.real("max_grad_norm", 1.0, 0, 1e9, "global-norm gradient clipping; 0 = off");
  public static final Setting<Integer> EPOCHS = Setting.integer("epochs", 1, 1, "passes over the training data");
  public static final Setting<Integer> MAX_STEPS =
      Setting.integer("max_steps", 0, 0, "optimizer steps; when > 0 it wins over epochs");
  public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch_size", 8, 1, "examples per micro-batch");
  public static final Setting<Integer> GRAD_ACCUM = Setting.integer("grad_accum", 1, 1, "micro-batches per optimizer step");
  public static final Setting<Integer> MAX_LENGTH =
      Setting.integer("max_length", 128, 2, "tokens per example (longer ones are truncated)");
  public static final Setting<Boolean> TRAIN_ON_INPUTS =
      Setting.bool("train_on_inputs", false, "decoder tasks: also train on the prompt tokens");
  public static final Setting<Integer> LIMIT_TRAIN =
      Setting.integer("limit_train", 0, 0, "use only the first N training examples; 0 = all");
  public static final Setting<Integer> EVAL_EVERY =
      Setting.integer("eval_every", 0, 0, "evaluate every N optimizer steps; 0 = only at the end");
  public static final Setting<Boolean> EVAL_EACH_EPOCH = Setting.bool("eval_each_epoch", false,
      "evaluate at the end of every epoch (GLUE scripts report the best epoch)");
  public static final Setting<Select> SELECT = Setting.choice("select", Select.LAST, "which model a cell reports: last (end "
      + "of training), best (best evaluation during training on the reported split: the papers' protocol, optimistic), "
      + "validation (best on the held-out validation examples; needs validation_size and eval_each_epoch or eval_every)");
  public static final Setting<Boolean> SAVE_ADAPTER = Setting.bool("save_adapter", false,
      "write the trained adapter as a PEFT folder (full FT: the weights) into the cell's adapter/");

  // settings added after cells were first hashed: a cell's configuration names them only when it sets them
  public static final Setting<Double> LORAPLUS_LR_RATIO = Setting.real("loraplus_lr_ratio", 0.0, 0, 1e6,
      "LoRA+: B matrices and 1-D trainable parameters learn at this ratio times lr (LLaMA-Factory's grouping); 0 = off")
      .hashedOnlyWhenSet();
  /** LLaMA-Factory's default (hparams/finetuning_args.py L95-98); the harness adapts no embedding, so only it is accepted. */
  public static final double LORAPLUS_EMBEDDING_DEFAULT = 1e-6;
  public static final Setting<Double> LORAPLUS_LR_EMBEDDING = Setting.real("loraplus_lr_embedding", LORAPLUS_EMBEDDING_DEFAULT,
      0, 10, "LoRA+: learning rate of embedding adapters; the harness adapts none, so only the default 1e-6 is accepted")
      .hashedOnlyWhenSet();
  public static final Setting<Double> NEFTUNE_NOISE_ALPHA = Setting.real("neftune_noise_alpha", 0.0, 0, 1e6,
      "NEFTune: uniform noise of magnitude alpha/sqrt(L*d) on the input embeddings in training (transformers' name); 0 = off")
      .hashedOnlyWhenSet();
  public static final Setting<Integer> VALIDATION_SIZE = Setting.integer("validation_size", 0, 0,
      "hold this many examples of the training task's training file out as validation (a fixed draw, the same for every "
      + "cell of the task; never trained on), evaluated after training and by select: validation; 0 = none")
      .hashedOnlyWhenSet();
  public static final Setting<Precision> PRECISION = Setting.choice("precision", Precision.FP32, "number format of the "
      + "model: fp32, or bf16 as the papers ran (frozen base weights stored and multiplied in bfloat16; adapters, trained "
      + "weights, optimizer states, loss, softmax and norms in float32)").hashedOnlyWhenSet();

  public static final Section SECTION = new Section("train", List.of(LR, HEAD_LR, WEIGHT_DECAY, ADAM_BETA1, ADAM_BETA2,
      ADAM_EPSILON, SCHEDULE, WARMUP_RATIO, WARMUP_STEPS, MAX_GRAD_NORM, EPOCHS, MAX_STEPS, BATCH_SIZE, GRAD_ACCUM,
      MAX_LENGTH, TRAIN_ON_INPUTS, LIMIT_TRAIN, EVAL_EVERY, EVAL_EACH_EPOCH, SELECT, SAVE_ADAPTER, LORAPLUS_LR_RATIO,
      LORAPLUS_LR_EMBEDDING, NEFTUNE_NOISE_ALPHA, VALIDATION_SIZE, PRECISION));

  /** The typed view of a resolved {@code train:} section (as {@link Section#layer} makes it). */
  public static TrainSection of(Map<String, ?> resolved) {
    return new TrainSection(LR.in(resolved), HEAD_LR.in(resolved), WEIGHT_DECAY.in(resolved), ADAM_BETA1.in(resolved),
        ADAM_BETA2.in(resolved), ADAM_EPSILON.in(resolved), SCHEDULE.in(resolved), WARMUP_RATIO.in(resolved),
        WARMUP_STEPS.in(resolved), MAX_GRAD_NORM.in(resolved), EPOCHS.in(resolved), MAX_STEPS.in(resolved),
        BATCH_SIZE.in(resolved), GRAD_ACCUM.in(resolved), MAX_LENGTH.in(resolved), TRAIN_ON_INPUTS.in(resolved),
        LIMIT_TRAIN.in(resolved), EVAL_EVERY.in(resolved), EVAL_EACH_EPOCH.in(resolved), SELECT.in(resolved),
        SAVE_ADAPTER.in(resolved), LORAPLUS_LR_RATIO.in(resolved), LORAPLUS_LR_EMBEDDING.in(resolved),
        NEFTUNE_NOISE_ALPHA.in(resolved), VALIDATION_SIZE.in(resolved), PRECISION.in(resolved));
  }
}
