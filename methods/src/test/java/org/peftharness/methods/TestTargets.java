package org.peftharness.methods;

import java.util.List;

/** The default target suffixes of the two model shapes, as the model module's architectures name them. */
public final class TestTargets {
  /** BERT/RoBERTa encoders (LoRA-XS / LoRA-SB GLUE code). */
  public static final List<String> ENCODER = List.of("query", "value", "attention.output.dense", "output.dense");
  /** Llama/Mistral decoders: all seven projections. */
  public static final List<String> DECODER = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  private TestTargets() {}
}
