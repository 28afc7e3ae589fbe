package org.peftharness.train.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.methods.MethodConfig;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;

/**
 * The estimate against the measured peak over a fixed list of (model, method, precision, batch)
 * combinations: the embedded MiniLM and the tiny decoder fixtures, with batches and lengths large
 * enough that activations, not the runtime's few megabytes, decide the tiny models' peaks. Adding
 * a precision's combinations is adding entries to {@link #COMBINATIONS}.
 */
public final class MemoryCheck {
  /** One combination: a fixture is a folder name under the fixtures directory, {@code minilm} the embedded model. */
  public record Combination(String model, String method, int rank, Precision precision, int batch, int length, int gradAccum) {}

  /** A measured combination. */
  public record Row(Combination combination, long estimated, long measured) {
    public double ratio() {
      return (double) estimated / measured;
    }
  }

  public static final List<Combination> COMBINATIONS = List.of(
      new Combination(PretrainedModel.MINILM, "full", 0, Precision.FP32, 1, 16, 1),
      new Combination(PretrainedModel.MINILM, "full", 0, Precision.FP32, 16, 64, 1),
      new Combination(PretrainedModel.MINILM, "lora", 8, Precision.FP32, 8, 64, 1),
      new Combination(PretrainedModel.MINILM, "lora", 8, Precision.FP32, 16, 128, 1),
      new Combination(PretrainedModel.MINILM, "lora-xs", 16, Precision.FP32, 16, 64, 1),
      new Combination(PretrainedModel.MINILM, "pissa", 8, Precision.FP32, 16, 64, 2),
      new Combination(PretrainedModel.MINILM, "lora-fa", 8, Precision.FP32, 8, 128, 1),
      new Combination("tiny-llama", "full", 0, Precision.FP32, 16, 256, 1),
      new Combination("tiny-llama", "lora", 8, Precision.FP32, 8, 512, 1),
      new Combination("tiny-qwen2", "lora-xs", 8, Precision.FP32, 16, 256, 1),
      new Combination("tiny-gemma", "pissa", 8, Precision.FP32, 16, 256, 1),
      new Combination("tiny-gemma2", "lora", 8, Precision.FP32, 8, 256, 1),
      new Combination("tiny-mistral-sw", "full", 0, Precision.FP32, 16, 256, 2),
      new Combination("tiny-llama-gqa-tied", "lora-fa", 8, Precision.FP32, 16, 256, 1),
      new Combination(PretrainedModel.MINILM, "full", 0, Precision.BF16, 16, 64, 1),
      new Combination(PretrainedModel.MINILM, "lora", 8, Precision.BF16, 16, 128, 1),
      new Combination(PretrainedModel.MINILM, "pissa", 8, Precision.BF16, 16, 64, 1),
      new Combination("tiny-llama", "lora", 8, Precision.BF16, 8, 512, 1),
      new Combination("tiny-gemma2", "lora-xs", 8, Precision.BF16, 8, 256, 1),
      new Combination("tiny-llama", "full", 0, Precision.BF16, 16, 256, 1));

  private MemoryCheck() {}

  /** The model spec of a combination: the embedded name, or the fixture's folder. */
  public static String modelSpec(Combination c, Path fixtures) {
    return c.model().equals(PretrainedModel.MINILM) ? c.model() : fixtures.resolve(c.model()).toString();
  }

  /** Whether the combination's model is here (the fixtures live beside the checkout, in ../shared). */
  public static boolean available(Combination c, Path fixtures) {
    return c.model().equals(PretrainedModel.MINILM) || Files.isRegularFile(fixtures.resolve(c.model()).resolve("config.json"));
  }

  public static MethodConfig<?> methodConfig(Combination c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MethodConfig.METHOD_KEY, c.method());
    if (c.rank() > 0) {
      m.put("rank", c.rank());
      m.put("alpha", c.rank());
    }
    return MethodConfig.fromMap(m, "memory check");
  }

  /** The estimate of a combination's training step, with the head the probe attaches (two labels). */
  public static MemoryEstimate estimate(Combination c, Path fixtures) {
    String spec = modelSpec(c, fixtures);
    ModelConfig config = PretrainedModel.readConfig(spec);
    // the embedded MiniLM is an ONNX export without a pooler: it is drawn fresh and trained with the head
    MemoryEstimator e = MemoryEstimator.of(spec, config, methodConfig(c), 2, !c.model().equals(PretrainedModel.MINILM));
    return e.training(new MemoryEstimator.Training(c.batch(), c.length(), c.gradAccum(), c.precision()));
  }

  public static Row measure(Combination c, Path fixtures) {
    long measured = MemoryProbe.trainingPeak(new MemoryProbe.Setup(modelSpec(c, fixtures), methodConfig(c), c.precision(),
        c.batch(), c.length(), c.gradAccum()));
    return new Row(c, estimate(c, fixtures).total(), measured);
  }
}
