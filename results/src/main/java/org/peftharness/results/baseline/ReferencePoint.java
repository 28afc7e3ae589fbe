package org.peftharness.results.baseline;

/**
 * A published number to draw beside measured points: what a paper (or another external source)
 * reports for one model / task / method / rank / metric. The value is on the harness's scale (a
 * fraction for accuracy), already divided by any percentage factor the source used.
 *
 * @param protocol the scoring protocol the number corresponds to, or null when it matches any
 * @param trainableParams the trainable-parameter count the source states, or null when it states none
 *     (such a point cannot be placed on the parameter axis and is listed in the table only)
 * @param label a short label for the legend and tables, e.g. "LoRA-SB (arXiv 2411.19557), Table 1"
 * @param source where the number was taken from, as the baseline file states it
 * @param verified whether that source was checked against the paper itself
 */
public record ReferencePoint(String model, String task, String method, Integer rank, String metric, String protocol,
    Long trainableParams, double value, String label, String source, boolean verified) {

  /** "paper-reported" or "paper-reported, UNVERIFIED": the words every plot and table uses. */
  public String provenanceTag() {
    return verified ? "paper-reported" : "paper-reported, UNVERIFIED";
  }
}
