package org.peftharness.tasks.read;

import java.util.List;
import java.util.Objects;

/**
 * Where a GLUE TSV keeps its fields. Columns are header names when the file has a header, and
 * 0-based column numbers (as strings) when it has none (CoLA).
 *
 * @param header whether the first line is a header (a UTF-8 BOM before it is dropped)
 * @param text the column of the first sentence
 * @param textPair the column of the second sentence, or null for single-sentence tasks
 * @param label the column of the gold label or score
 * @param labelValues for classification, the raw label values in label-index order (e.g.
 *     {@code ["0","1"]} or {@code ["entailment","not_entailment"]}); empty for regression
 * @param rebuildMrpcTrain when the requested {@code train.tsv} is absent, rebuild it from
 *     {@code msr_paraphrase_train.txt} minus {@code dev_ids.tsv} in the same folder, as GLUE's
 *     {@code download_glue_data.py} does
 */
public record TsvLayout(
    boolean header, String text, String textPair, String label, List<String> labelValues, boolean rebuildMrpcTrain) {
  public TsvLayout {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(label, "label");
    labelValues = List.copyOf(labelValues);
  }

  public boolean regression() {
    return labelValues.isEmpty();
  }
}
