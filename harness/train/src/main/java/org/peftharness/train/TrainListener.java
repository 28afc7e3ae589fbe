package org.peftharness.train;

/** Progress of a training run, for the CLI and the grid runner. */
public interface TrainListener {
  /** Every {@code loggingSteps} optimizer steps and after the last one. */
  void onLog(StepLog log);

  /** After every optimizer step (e.g. to run an evaluation every N steps). */
  default void onStep(int step) {}

  TrainListener NONE = log -> {};

  /**
   * One logging interval.
   *
   * @param step optimizer steps done (1-based: the step just finished)
   * @param totalSteps optimizer steps of the run
   * @param epoch fractional epoch reached
   * @param loss mean training loss over the interval's optimizer steps (each the mean of its micro-batches)
   * @param learningRate learning rate of the first group used by the step just finished
   * @param gradNorm global gradient norm before clipping of the step just finished
   * @param tokensPerSecond real (non-padding) tokens per second of wall time over the interval
   */
  record StepLog(int step, int totalSteps, double epoch, double loss, double learningRate, double gradNorm,
      double tokensPerSecond) {}
}
