package org.peftharness.methods.adapter;

import org.peftharness.methods.Role;
import org.peftharness.methods.options.AdapterOptions;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TNumber;

/**
 * The latent site of LoRA-XS and LoRA-SB: {@code y = x W0ᵀ + b + s·((dropout(x) Aᵀ) Rᵀ) Bᵀ}, an r×r
 * {@code lora_R} between the low-rank factors (XS initialization_utils.py replaces PEFT's LoRA
 * forward by {@code lora_B(latent(lora_A(dropout(x)))) · scaling}).
 */
public final class LatentSite {
  private LatentSite() {}

  public static <T extends TNumber> Operand<T> build(SiteBuilder<T> s, AdapterOptions o) {
    s.claimWeight(false);
    Variable<T> a = s.declare(Role.A, ".lora_A", o.rank(), s.site().inFeatures());
    Variable<T> b = s.declare(Role.B, ".lora_B", s.site().outFeatures(), o.rank());
    Variable<T> r = s.declare(Role.R, ".lora_R", o.rank(), o.rank());
    return LowRankSite.forward(s, o, a, r, b);
  }
}
