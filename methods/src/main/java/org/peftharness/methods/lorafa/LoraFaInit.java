package org.peftharness.methods.lorafa;

import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.options.Option;

/**
 * How LoRA-FA's frozen A and trained B start. {@code random} is LoRA-FA's own (PEFT's LoRA init);
 * the two SVD inits come from the course project shredder67/svd-lorafa, which claims that an SVD
 * start converges faster than the random one: {@code seed-svd} is its code as written,
 * {@code svd-residual} the init it evidently meant (see {@link SvdInits}).
 */
public enum LoraFaInit implements Option.Choice {
  /** A ~ kaiming-uniform(a = √5), B = 0: the base model at step 0. */
  RANDOM("random", StartingPoint.BASE_MODEL),
  /** svd-lorafa lora/model.py @7b38b37 L51-56: A = (U_r S_r)ᵀ, B = Vh[:, :r], no residual, square W only. */
  SEED_SVD("seed-svd", StartingPoint.MOVED),
  /** A = S_r^½ Vh[:r], B = U_r S_r^½ on the residual W0 − s·B·A (PiSSA-style): the base model up to rounding. */
  SVD_RESIDUAL("svd-residual", StartingPoint.BASE_MODEL_UP_TO_ROUNDING);

  private final String text;
  private final StartingPoint start;

  LoraFaInit(String text, StartingPoint start) {
    this.text = text;
    this.start = start;
  }

  @Override
  public String text() {
    return text;
  }

  /** Where the model stands after this init. */
  public StartingPoint startingPoint() {
    return start;
  }

  /** Whether the init moves W0 into a residual base. */
  public boolean residual() {
    return this == SVD_RESIDUAL;
  }
}
