package org.peftharness.model;

import java.util.Locale;

/**
 * The sequence-classification head transformers puts on an encoder, trained with the adapter
 * (PEFT's {@code modules_to_save}).
 */
public enum ClassifierHead {
  /**
   * BertForSequenceClassification: the pooler (dense + tanh on the first token; frozen unless full
   * fine-tuning when the checkpoint has it, trained with the classifier when it is drawn fresh),
   * dropout, then {@code classifier} (modeling_bert.py BertPooler).
   */
  BERT_POOLER,
  /**
   * RobertaClassificationHead: dropout, {@code classifier.dense} + tanh, dropout,
   * {@code classifier.out_proj} (modeling_roberta.py RobertaClassificationHead).
   */
  ROBERTA_DENSE;

  /**
   * The key of a head tensor (named as {@code SequenceClassifier} declares it) in transformers'
   * task model: the pooler is part of the bare model ({@code BertModel.pooler}, so
   * {@code bert.pooler.dense.weight}), the classifier sits beside it at the top
   * (modeling_bert.py BertForSequenceClassification.__init__, modeling_roberta.py
   * RobertaForSequenceClassification.__init__).
   *
   * @param modulePrefix where the bare model sits ({@link Architecture#peftModulePrefix()})
   */
  public static String taskModelKey(String name, String modulePrefix) {
    return name.startsWith("pooler.") ? modulePrefix + name : name;
  }

  /**
   * Trainable parameters of the head on a model of width {@code hidden} with {@code labels} outputs,
   * for a checkpoint that has its pooler (a pooler drawn fresh is trained too and adds
   * {@code hidden² + hidden}; see SequenceClassifier#trainedWithAdapter).
   */
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
