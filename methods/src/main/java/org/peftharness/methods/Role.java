package org.peftharness.methods;

/**
 * What a variable of an adapted linear map is. A record, not an enum, so that a method with a
 * variable of its own (DoRA's magnitude vector, say) declares its role in its own package.
 *
 * @param name how {@code inspect init} and messages name it
 */
public record Role(String name) {
  /** {@code lora_A.weight}, r×n ("down", applied first). */
  public static final Role A = new Role("A");
  /** {@code lora_B.weight}, m×r ("up"). */
  public static final Role B = new Role("B");
  /** The latent r×r matrix of LoRA-XS / LoRA-SB. */
  public static final Role R = new Role("R");
  /** The pretrained weight W0 (or the residual that replaces it), m×n. */
  public static final Role WEIGHT = new Role("W");
  /** The pretrained bias, m. */
  public static final Role BIAS = new Role("b");

  @Override
  public String toString() {
    return name;
  }
}
