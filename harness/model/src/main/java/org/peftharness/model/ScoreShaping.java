package org.peftharness.model;

/**
 * How Gemma-2 departs from plain scaled dot-product scores and raw logits
 * (transformers models/gemma2/modular_gemma2.py, Gemma2Attention and Gemma2ForCausalLM.forward):
 * scores are scaled by {@code query_pre_attn_scalar^-0.5} instead of {@code head_dim^-0.5}, then
 * soft-capped {@code c * tanh(s / c)} before the mask; the output logits are capped the same way.
 *
 * @param queryPreAttnScalar the score scale's inverse square
 * @param attentionSoftcap {@code attn_logit_softcapping}, or null for none
 * @param finalSoftcap {@code final_logit_softcapping}, or null for none
 */
public record ScoreShaping(double queryPreAttnScalar, Double attentionSoftcap, Double finalSoftcap) {

  public double scoreScale() {
    return 1.0 / Math.sqrt(queryPreAttnScalar);
  }
}
