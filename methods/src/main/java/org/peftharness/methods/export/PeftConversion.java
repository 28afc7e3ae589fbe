package org.peftharness.methods.export;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Role;
import org.peftharness.methods.adapter.SiteState;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.options.AdapterOptions;

/**
 * How a method's trained sites become a stock PEFT LoRA adapter on the <em>unmodified</em> base
 * model (host math, float64, rounded once): the adapter's r and lora_alpha, and one site's
 * {@code lora_A}, {@code lora_B} (and DoRA's magnitude). The shapes the registered methods need are here.
 *
 * @param options the method's adapter options (use_rslora and lora_dropout are exported as they are)
 * @param rank the exported r
 * @param alpha the exported lora_alpha
 * @param useDora PEFT's {@code use_dora}: every site also has its magnitude vector
 * @param site one site's conversion
 */
public record PeftConversion(AdapterOptions options, int rank, double alpha, boolean useDora, SiteConversion site) {
  /** One site's exported factors. */
  @FunctionalInterface
  public interface SiteConversion {
    LoraFactors convert(SiteState s);
  }

  /** A site's {@code lora_A} (r×n), {@code lora_B} (m×r) and, for DoRA, {@code lora_magnitude_vector} (m); else null. */
  public record LoraFactors(FloatTensor a, FloatTensor b, FloatTensor magnitude) {
    public LoraFactors(FloatTensor a, FloatTensor b) {
      this(a, b, null);
    }
  }

  /** LoRA, LoRA-FA: A and B as they are; r, alpha, use_rslora as configured. */
  public static PeftConversion asIs(AdapterOptions o) {
    return new PeftConversion(o, o.rank(), o.alpha(), false, s -> new LoraFactors(s.a(), s.b()));
  }

  /**
   * DoRA: A, B and the magnitude of role {@code magnitude} as they are, with {@code use_dora};
   * PEFT's DoRA forward and merge read W0, A, B and m only (tuners/lora/variants.py
   * DoraLinearVariant L169-188, L220-248), so the trained site is PEFT's adapter on the unmodified base.
   */
  public static PeftConversion dora(AdapterOptions o, Role magnitude) {
    return new PeftConversion(o, o.rank(), o.alpha(), true, s -> new LoraFactors(s.a(), s.b(), s.own().get(magnitude)));
  }

  /** LoRA-XS, LoRA-SB: R folded into B ({@code lora_B = B·R}, {@code lora_A = A}), same r and alpha. */
  public static PeftConversion latentFolded(AdapterOptions o) {
    return new PeftConversion(o, o.rank(), o.alpha(), false,
        s -> new LoraFactors(s.a(), Matrix.of(s.b()).mul(Matrix.of(s.r())).toFloat()));
  }

  /**
   * PiSSA, LoRA-GA: PEFT's rank-2r conversion (PEFT tuners/lora/model.py L1024–1066,
   * peft_model.py L397–410): {@code A' = [A; A0]}, {@code B' = [B, −B0]}, {@code r' = 2r},
   * {@code alpha' = 2·alpha} (√2·alpha under rsLoRA), so {@code s'·B'A' = s(BA − B0A0)} and
   * {@code W0 + s'·B'A' = W_res + s·BA} up to the rounding of W_res.
   */
  public static PeftConversion residualDoubled(AdapterOptions o) {
    return new PeftConversion(o, 2 * o.rank(), o.rslora() ? Math.sqrt(2) * o.alpha() : 2 * o.alpha(), false, s -> {
      if (s.init() == null) {
        throw new IllegalStateException(s.site().module() + ": the initial A0, B0 are needed for the conversion");
      }
      Matrix a = Matrix.of(s.a()).concatRows(Matrix.of(s.init().a()));
      Matrix b = Matrix.of(s.b()).concatCols(Matrix.of(s.init().b()).scale(-1));
      return new LoraFactors(a.toFloat(), b.toFloat());
    });
  }
}
