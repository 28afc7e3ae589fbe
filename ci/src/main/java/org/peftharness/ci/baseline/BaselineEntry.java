package org.peftharness.ci.baseline;

import java.util.Locale;

/**
 * One expected value from a baseline file. Numbers are kept in the file's units ({@code value},
 * {@code std}, {@code absolute}); {@code scale} converts them to the harness's (a paper's 61.94
 * percent with {@code scale: 100} is 0.6194 in results.csv).
 *
 * @param rank null when the entry names no rank (full fine-tuning)
 * @param protocol null to compare against every scoring protocol the results have for the metric
 * @param std the seed standard deviation of the reference, or null (then a stds tolerance uses the measured one)
 * @param seeds how many seeds the reference value is the mean of, or null; with {@code std} it gives the
 *     reference's own standard error for the noise rule
 * @param examples how many evaluation examples the reference value was measured on ({@code n}), or
 *     null; for an accuracy it gives the reference's binomial standard error for the noise rule
 * @param rule the rule the entry asks for; {@code harness check --rule} can override it
 * @param absolute absolute tolerance in the file's units, or null
 * @param stds tolerance in standard deviations over seeds, or null (both null only under the noise rule)
 * @param higherIsBetter null to take the direction recorded in results.csv
 * @param trainableParams the parameter count the source states, or null
 */
public record BaselineEntry(String file, int line, String model, String task, String method, Integer rank, String metric,
    String protocol, double value, Double std, Integer seeds, Integer examples, double scale, Rule rule, Double absolute,
    Double stds, Boolean higherIsBetter, Aggregate aggregate, String source, boolean verified, Long trainableParams, String label, String note) {

  /** How the seeds' values are reduced to the one number compared. */
  public enum Aggregate {
    MEAN,
    MEDIAN;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The expected value on the harness's scale. */
  public double expected() {
    return value / scale;
  }

  /** "mistral-7b-v0.1 / gsm8k / lora r32 / accuracy [lorasb-answer-is]". */
  public String describe() {
    return model + " / " + task + " / " + method + (rank == null ? "" : " r" + rank) + " / " + metric
        + (protocol == null ? "" : " [" + protocol + "]");
  }

  /** Whether the entry gives a fixed band, which the tolerance rule needs. */
  public boolean hasTolerance() {
    return absolute != null || stds != null;
  }

  public String where() {
    return file + ":" + line;
  }
}
