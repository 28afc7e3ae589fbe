package org.peftharness.methods;

/**
 * Where the adapted model stands right after a method's initialisation, relative to the base
 * model: a documented property of each method that the registry-driven contract tests check on
 * every registered method.
 */
public enum StartingPoint {
  /** Exactly the base model: the adapter's delta starts at zero (LoRA's B = 0) or there is none. */
  BASE_MODEL,
  /** The base model up to float32 rounding: W0 moved into a residual W_res = W0 − s·B0·A0 (PiSSA, LoRA-GA). */
  BASE_MODEL_UP_TO_ROUNDING,
  /** A tiny random perturbation of the base model (LoRA-XS's R ~ N(0, 1e-10)). */
  NEAR_BASE_MODEL,
  /** Somewhere else on purpose (LoRA-SB starts at W0 plus its first-step update estimate). */
  MOVED
}
