package org.peftharness.model.arch;

import java.util.List;
import java.util.Optional;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.graph.EncoderModel;

/**
 * RoBERTa and XLM-RoBERTa: a BERT encoder whose position ids count non-padding tokens from the
 * padding index + 1 (transformers modeling_roberta.py create_position_ids_from_input_ids), with
 * RobertaClassificationHead and padding id 1 by default (configuration_roberta.py).
 */
public final class RobertaArchitecture extends BertArchitecture {
  @Override
  public String name() {
    return "RoBERTa";
  }

  @Override
  public String summary() {
    return "encoder: BERT with positions counted after the padding index; dense + out_proj classification head";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("roberta", "xlm-roberta");
  }

  @Override
  public Optional<ClassifierHead> classifierHead() {
    return Optional.of(ClassifierHead.ROBERTA_DENSE);
  }

  @Override
  public String peftModulePrefix() {
    return "roberta.";
  }

  @Override
  protected EncoderModel.Positions positions() {
    return EncoderModel.Positions.AFTER_PADDING;
  }

  @Override
  protected int defaultPadTokenId() {
    return 1;
  }
}
