package org.peftharness.model;

/** The architectures the harness builds as TensorFlow graphs. */
public enum ModelFamily {
  /** BERT-style encoder: learned absolute positions from 0, post-LayerNorm, GELU. */
  BERT(true),
  /** RoBERTa: a BERT encoder whose position ids start after the padding index. */
  ROBERTA(true),
  /** Llama-style decoder (Llama, Mistral): RMSNorm, rotate-half RoPE, GQA, SiLU-gated MLP. */
  LLAMA(false);

  private final boolean encoder;

  ModelFamily(boolean encoder) {
    this.encoder = encoder;
  }

  public boolean isEncoder() {
    return encoder;
  }
}
