package org.peftharness.model.reference;

/**
 * Rotary position embedding in float64: transformers modeling_rope_utils.py
 * _compute_default_rope_parameters ({@code inv_freq = 1 / theta^(2i / d)}) and
 * _compute_llama3_parameters, applied as modeling_llama.py apply_rotary_pos_emb with rotate_half
 * (the two halves of a head, not interleaved pairs).
 */
final class RotaryFrequencies {
  private final double[] invFreq;

  RotaryFrequencies(int headDim, double theta, DecoderConfig.Llama3Rope scaling) {
    invFreq = new double[headDim / 2];
    for (int i = 0; i < invFreq.length; i++) {
      double f = 1 / Math.pow(theta, 2.0 * i / headDim);
      invFreq[i] = scaling == null ? f : llama3(f, scaling);
    }
  }

  /**
   * Long wavelengths (over original / low_freq_factor) slowed by {@code factor}, short ones (under
   * original / high_freq_factor) kept, the band between interpolated by the smooth factor.
   */
  private static double llama3(double f, DecoderConfig.Llama3Rope s) {
    double lowFreqWavelen = s.originalMaxPositions() / s.lowFreqFactor();
    double highFreqWavelen = s.originalMaxPositions() / s.highFreqFactor();
    double wavelen = 2 * Math.PI / f;
    if (wavelen > lowFreqWavelen) {
      return f / s.factor();
    }
    if (wavelen < highFreqWavelen) {
      return f;
    }
    double smooth = (s.originalMaxPositions() / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
    return (1 - smooth) * f / s.factor() + smooth * f;
  }

  /** Rotates one head's vector at {@code position}: {@code x cos + rotate_half(x) sin}, rotate_half(x) = (-x2, x1). */
  double[] rotate(double[] x, int offset, int position) {
    int half = invFreq.length;
    double[] y = new double[2 * half];
    for (int i = 0; i < half; i++) {
      double angle = position * invFreq[i];
      double cos = Math.cos(angle);
      double sin = Math.sin(angle);
      double x1 = x[offset + i];
      double x2 = x[offset + half + i];
      y[i] = x1 * cos - x2 * sin;
      y[half + i] = x2 * cos + x1 * sin;
    }
    return y;
  }
}
