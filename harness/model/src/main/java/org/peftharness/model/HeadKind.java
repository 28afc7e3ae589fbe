package org.peftharness.model;

import org.peftharness.tasks.spec.TaskKind;

/** What an architecture's task head computes, which decides the tasks it can run. */
public enum HeadKind {
  /** A classification or regression head on the encoder's first token (transformers' *ForSequenceClassification). */
  SEQUENCE_CLASSIFICATION("SEQ_CLS"),
  /** Next-token logits over the vocabulary; tasks generate text (transformers' *ForCausalLM). */
  CAUSAL_LM("CAUSAL_LM");

  private final String peftTaskType;

  HeadKind(String peftTaskType) {
    this.peftTaskType = peftTaskType;
  }

  /** PEFT's {@code task_type} for an adapter trained with this head (peft/utils/peft_types.py TaskType). */
  public String peftTaskType() {
    return peftTaskType;
  }

  public boolean serves(TaskKind task) {
    return switch (task) {
      case CLASSIFICATION, REGRESSION -> this == SEQUENCE_CLASSIFICATION;
      case GENERATION -> this == CAUSAL_LM;
    };
  }
}
