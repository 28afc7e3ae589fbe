package org.peftharness.methods.options;

import java.util.List;
import java.util.Map;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.estimate.GradientRule;

/** How many examples a method's gradient pre-pass reads, and in which batch size. */
public record EstimationOptions(int samples, int batchSize) {
  public static final Option<Integer> SAMPLES = Option.integer("estimation_samples",
      "training examples the gradient pre-pass reads (default: the method's reference)").require(n -> n >= 1, "at least 1");
  public static final Option<Integer> BATCH_SIZE = Option.integer("estimation_batch_size",
      "examples per batch of the gradient pre-pass (default: the method's reference)").require(n -> n >= 1, "at least 1");
  public static final List<Option<?>> OPTIONS = List.of(SAMPLES, BATCH_SIZE);

  public static EstimationOptions read(OptionReader r, int defaultSamples, int defaultBatchSize) {
    return new EstimationOptions(r.read(SAMPLES, defaultSamples), r.read(BATCH_SIZE, defaultBatchSize));
  }

  /** The pre-pass these options ask for under a method's rule and data order. */
  public GradientEstimation plan(GradientRule rule, boolean shuffle) {
    return new GradientEstimation(rule, samples, batchSize, shuffle);
  }

  public void writeTo(Map<String, Object> canonical) {
    canonical.put(SAMPLES.key(), samples);
    canonical.put(BATCH_SIZE.key(), batchSize);
  }
}
