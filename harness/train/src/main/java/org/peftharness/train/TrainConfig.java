package org.peftharness.train;

/**
 * What a training run needs to know, with torch/HF meanings:
 *
 * @param learningRate base learning rate (of the default group; groups may carry their own)
 * @param weightDecay decoupled AdamW weight decay (torch's default is 0.01)
 * @param beta1 AdamW beta1
 * @param beta2 AdamW beta2
 * @param eps AdamW epsilon (added after the square root)
 * @param schedule learning-rate schedule
 * @param warmupSteps warmup in optimizer steps; if 0, {@code ceil(warmupRatio * total)} (HF)
 * @param warmupRatio warmup as a fraction of all optimizer steps
 * @param maxGradNorm global-norm clipping threshold; 0 turns clipping off
 * @param gradientAccumulation micro-batches per optimizer step (each micro-batch loss is divided by it)
 * @param epochs passes over the data when {@code maxSteps <= 0}
 * @param maxSteps optimizer steps, overriding epochs when positive (HF {@code max_steps})
 * @param seed root seed, split into the named streams (init, data-order, dropout)
 * @param loggingSteps report to the listener every this many optimizer steps
 * @param shuffle shuffle the order of micro-batches every epoch (data-order stream)
 * @param neftuneNoiseAlpha NEFTune's alpha (transformers' {@code neftune_noise_alpha}): uniform noise of
 *     magnitude {@code alpha / sqrt(L d)} on the input embeddings in training; 0 turns it off
 */
public record TrainConfig(double learningRate, double weightDecay, double beta1, double beta2, double eps,
    Schedule.Kind schedule, int warmupSteps, double warmupRatio, double maxGradNorm, int gradientAccumulation,
    int epochs, int maxSteps, long seed, int loggingSteps, boolean shuffle, double neftuneNoiseAlpha) {

  public TrainConfig {
    if (!(learningRate >= 0) || !(weightDecay >= 0) || !(eps > 0) || !(maxGradNorm >= 0) || !(warmupRatio >= 0)
        || !(neftuneNoiseAlpha >= 0)) {
      throw new IllegalArgumentException(
          "learning rate, weight decay, max grad norm, warmup ratio and NEFTune alpha must be >= 0, eps > 0");
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("betas must be in [0, 1)");
    }
    if (gradientAccumulation < 1 || loggingSteps < 1 || warmupSteps < 0) {
      throw new IllegalArgumentException("gradient accumulation and logging steps must be >= 1, warmup steps >= 0");
    }
    if (maxSteps <= 0 && epochs < 1) {
      throw new IllegalArgumentException("give epochs >= 1 or max steps >= 1");
    }
  }

  /** torch AdamW defaults (wd 0.01, betas 0.9/0.999, eps 1e-8), linear schedule, no warmup, clip 1.0, one epoch, seed 42. */
  public static TrainConfig defaults(double learningRate) {
    return new TrainConfig(learningRate, 0.01, 0.9, 0.999, 1e-8, Schedule.Kind.LINEAR, 0, 0.0, 1.0, 1, 1, 0, 42L, 1, true, 0.0);
  }

  public TrainConfig withSteps(int steps) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        gradientAccumulation, epochs, steps, seed, loggingSteps, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withEpochs(int n) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        gradientAccumulation, n, 0, seed, loggingSteps, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        gradientAccumulation, epochs, maxSteps, s, loggingSteps, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withSchedule(Schedule.Kind kind, int warmup, double ratio) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, kind, warmup, ratio, maxGradNorm,
        gradientAccumulation, epochs, maxSteps, seed, loggingSteps, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withAccumulation(int n) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        n, epochs, maxSteps, seed, loggingSteps, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withClipping(double maxNorm) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxNorm,
        gradientAccumulation, epochs, maxSteps, seed, loggingSteps, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withLogging(int every) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        gradientAccumulation, epochs, maxSteps, seed, every, shuffle, neftuneNoiseAlpha);
  }

  public TrainConfig withShuffle(boolean on) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        gradientAccumulation, epochs, maxSteps, seed, loggingSteps, on, neftuneNoiseAlpha);
  }

  public TrainConfig withNeftune(double alpha) {
    return new TrainConfig(learningRate, weightDecay, beta1, beta2, eps, schedule, warmupSteps, warmupRatio, maxGradNorm,
        gradientAccumulation, epochs, maxSteps, seed, loggingSteps, shuffle, alpha);
  }

  AdamW.Hyper hyper() {
    return new AdamW.Hyper(beta1, beta2, eps, maxGradNorm);
  }
}
