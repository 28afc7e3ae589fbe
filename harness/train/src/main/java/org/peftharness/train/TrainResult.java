package org.peftharness.train;

import java.util.Map;

/**
 * How a training run ended. A diverged run (non-finite loss or gradient norm) is a result, not an
 * exception, so a grid can record it and go on.
 *
 * @param steps optimizer steps completed (the diverging step included)
 * @param losses per optimizer step, the mean loss of its micro-batches
 * @param gradNorms per optimizer step, the global gradient norm before clipping
 * @param learningRates per optimizer step, the first group's learning rate
 * @param seeds the derived seeds used (for provenance)
 */
public record TrainResult(Status status, String reason, int steps, double[] losses, double[] gradNorms,
    double[] learningRates, long tokens, double seconds, Map<String, Long> seeds) {
  public enum Status { COMPLETED, DIVERGED }

  public boolean ok() {
    return status == Status.COMPLETED;
  }

  public double finalLoss() {
    return losses.length == 0 ? Double.NaN : losses[losses.length - 1];
  }
}
