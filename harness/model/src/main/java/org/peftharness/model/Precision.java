package org.peftharness.model;

/**
 * The number format a model graph runs in.
 *
 * <ul>
 *   <li>{@link #FP32}: every tensor in float32, the harness's default and its reference numerics.
 *   <li>{@link #BF16}: what the seed papers' runs mean by bf16 ({@code torch_dtype=torch.bfloat16}
 *       for the frozen model, PEFT's adapters upcast to float32 by {@code autocast_adapter_dtype},
 *       HF Trainer's {@code bf16=True} autocast for full fine-tuning): frozen base weights are
 *       stored in bfloat16 and every linear map multiplies in bfloat16; adapter weights, trained
 *       weights (full fine-tuning's master copy), optimizer states, the loss, softmax and norms
 *       stay float32.
 * </ul>
 */
public enum Precision {
  FP32,
  BF16;

  /** The name grids and results use ({@code fp32}, {@code bf16}). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
