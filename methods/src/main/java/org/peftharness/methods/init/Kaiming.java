package org.peftharness.methods.init;

import java.util.SplittableRandom;
import org.peftharness.core.tensor.FloatTensor;

/** PEFT's default LoRA init (tuners/lora/layer.py, reset_lora_parameters): A ~ kaiming_uniform(a = √5), B = 0. */
public final class Kaiming {
  private Kaiming() {}

  /** A = U(−1/√n, 1/√n), r×n, drawn row by row from the site's stream. */
  public static FloatTensor uniformA(int n, int r, SplittableRandom rng) {
    double bound = 1.0 / Math.sqrt(n);
    float[] a = new float[r * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (bound * (2 * rng.nextDouble() - 1));
    }
    return new FloatTensor(new long[] {r, n}, a);
  }

  /** A kaiming-uniform, B = 0 for an m×n matrix at rank r. */
  public static SiteInit lora(int m, int n, int r, SplittableRandom rng) {
    return SiteInit.of(uniformA(n, r, rng), FloatTensor.zeros(m, r), null, null);
  }
}
