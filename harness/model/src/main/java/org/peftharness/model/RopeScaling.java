package org.peftharness.model;

/**
 * Llama 3's frequency-dependent RoPE rescaling ({@code rope_type: llama3}): long wavelengths are
 * slowed by {@code factor}, short ones kept, the band between interpolated smoothly.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

  /** Applies the rescaling to one inverse frequency, as transformers' {@code _compute_llama3_parameters}. */
  public double apply(double invFreq) {
    double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
    double highFreqWavelen = originalMaxPositions / highFreqFactor;
    double wavelen = 2 * Math.PI / invFreq;
    if (wavelen < highFreqWavelen) {
      return invFreq;
    }
    if (wavelen > lowFreqWavelen) {
      return invFreq / factor;
    }
    double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
    return (1 - smooth) * invFreq / factor + smooth * invFreq;
  }
}
