package org.peftharness.train;

/**
 * Learning-rate multipliers as Hugging Face's schedules ({@code transformers.optimization}); the
 * optimizer step with index {@code k} (0-based: the first update uses {@code k = 0}) runs with
 * {@code lr * factor(k)}, which is what {@code LambdaLR} gives when {@code scheduler.step()}
 * follows {@code optimizer.step()}.
 */
public record Schedule(Kind kind, int warmupSteps, int totalSteps) {
  public enum Kind {
    /** {@code get_constant_schedule}: always 1. */
    CONSTANT,
    /** {@code get_constant_schedule_with_warmup}. */
    CONSTANT_WITH_WARMUP,
    /** {@code get_linear_schedule_with_warmup}: linear warmup, then linear decay to 0. */
    LINEAR,
    /** {@code get_cosine_schedule_with_warmup} with half a cycle: linear warmup, then cosine to 0. */
    COSINE
  }

  public Schedule {
    if (warmupSteps < 0 || totalSteps < 0) {
      throw new IllegalArgumentException("warmup and total steps must not be negative");
    }
  }

  /** HF {@code TrainingArguments.get_warmup_steps}: the steps if given (> 0), else {@code ceil(ratio * total)}. */
  public static int warmupSteps(int steps, double ratio, int total) {
    if (steps > 0) {
      return steps;
    }
    return (int) Math.ceil(ratio * total);
  }

  public double factor(int step) {
    switch (kind) {
      case CONSTANT:
        return 1.0;
      case CONSTANT_WITH_WARMUP:
        return step < warmupSteps ? (double) step / Math.max(1.0, warmupSteps) : 1.0;
      case LINEAR:
        if (step < warmupSteps) {
          return (double) step / Math.max(1, warmupSteps);
        }
        return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
      case COSINE:
        if (step < warmupSteps) {
          return (double) step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
      default:
        throw new AssertionError(kind);
    }
  }
}
