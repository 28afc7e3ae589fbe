package org.peftharness.grid;

import java.util.List;

/**
 * The train and eval settings a grid may set, with the defaults of Hugging Face's Trainer where
 * one exists (so an unset key means what a researcher porting a script expects).
 */
public final class GridSections {
  private GridSections() {}

  public static final Section TRAIN = new Section("train", List.of(
      Setting.real("lr", 1e-4, 0, 10, "peak learning rate"),
      Setting.real("head_lr", 0, 0, 10, "learning rate of a classification/regression head; 0 = same as lr"),
      Setting.real("weight_decay", 0.0, 0, 1, "AdamW decoupled weight decay"),
      Setting.real("adam_beta1", 0.9, 0, 1, "AdamW beta1"),
      Setting.real("adam_beta2", 0.999, 0, 1, "AdamW beta2"),
      Setting.real("adam_epsilon", 1e-8, 0, 1, "AdamW epsilon (added after the square root)"),
      Setting.choice("schedule", "linear", List.of("constant", "linear", "cosine"), "learning-rate schedule after warmup"),
      Setting.real("warmup_ratio", 0.0, 0, 1, "warmup as a fraction of the optimizer steps (ceil)"),
      Setting.integer("warmup_steps", 0, 0, "warmup steps; when > 0 it wins over warmup_ratio"),
      Setting.real("max_grad_norm", 1.0, 0, 1e9, "global-norm gradient clipping; 0 = off"),
      Setting.integer("epochs", 1, 1, "passes over the training data"),
      Setting.integer("max_steps", 0, 0, "optimizer steps; when > 0 it wins over epochs"),
      Setting.integer("batch_size", 8, 1, "examples per micro-batch"),
      Setting.integer("grad_accum", 1, 1, "micro-batches per optimizer step"),
      Setting.integer("max_length", 128, 2, "tokens per example (longer ones are truncated)"),
      Setting.bool("train_on_inputs", false, "decoder tasks: also train on the prompt tokens"),
      Setting.integer("limit_train", 0, 0, "use only the first N training examples; 0 = all"),
      Setting.integer("eval_every", 0, 0, "evaluate every N optimizer steps; 0 = only at the end"),
      Setting.bool("eval_each_epoch", false, "evaluate at the end of every epoch (GLUE scripts report the best epoch)"),
      Setting.choice("select", "last", List.of("last", "best"), "which evaluation a cell reports"),
      Setting.bool("save_adapter", false, "write the trained adapter as a PEFT folder (full FT: the weights) into the cell's adapter/")));

  public static final Section EVAL = new Section("eval", List.of(
      Setting.integer("batch_size", 32, 1, "examples per evaluation batch"),
      Setting.integer("max_new_tokens", 256, 1, "generation tasks: token limit per answer"),
      Setting.integer("limit", 0, 0, "evaluate only the first N examples; 0 = all")));
}
