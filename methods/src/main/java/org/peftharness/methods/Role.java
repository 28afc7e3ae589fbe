package org.peftharness.methods;

/** What a variable of an adapted linear map is. */
public enum Role {
  /** {@code lora_A.weight}, r×n ("down", applied first). */
  A,
  /** {@code lora_B.weight}, m×r ("up"). */
  B,
  /** The latent r×r matrix of LoRA-XS / LoRA-SB. */
  R,
  /** The pretrained weight W0 (or the residual that replaces it), m×n. */
  WEIGHT,
  /** The pretrained bias, m. */
  BIAS,
  /** LoRA-FA optimizer only: the constant r×r matrix {@code pinv(A Aᵀ + 1e-8 I) / s²} its gradient correction multiplies g_B by. */
  LORAFA_PRECONDITIONER
}
