package org.peftharness.model;

import java.util.Locale;

/**
 * The sequence-classification head transformers puts on an encoder, trained with the adapter
 * (PEFT's {@code modules_to_save}).
 */
public enum ClassifierHead {
  /**
   * BertForSequenceClassification: the pretrained pooler (dense + tanh on the first token, frozen
   * unless full fine-tuning), dropout, then {@code classifier} (modeling_bert.py BertPooler).
   */
  BERT_POOLER,
  /**
   * RobertaClassificationHead: dropout, {@code classifier.dense} + tanh, dropout,
   * {@code classifier.out_proj} (modeling_roberta.py RobertaClassificationHead).
   */
  ROBERTA_DENSE;

  /** Trainable parameters of the head on a model of width {@code hidden} with {@code labels} outputs. */
  public long parameters(long hidden, int labels) {
    return switch (this) {
      case BERT_POOLER -> hidden * labels + labels;
      case ROBERTA_DENSE -> hidden * hidden + hidden + hidden * labels + labels;
    };
  }

  public String formula(int hidden, int labels) {
    return switch (this) {
      case BERT_POOLER -> String.format(Locale.ROOT, "classifier %d x %d + %d", labels, hidden, labels);
      case ROBERTA_DENSE -> String.format(Locale.ROOT, "dense %1$d x %1$d + %1$d, out_proj %2$d x %1$d + %2$d", hidden, labels);
    };
  }
}
