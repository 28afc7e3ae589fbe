package org.peftharness.model.reference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsCheckpoint;
import org.peftharness.model.Weights;

/**
 * Tensors by their Hugging Face names, widened to float64 and flattened row-major: all a reference
 * forward reads. Shapes are the config's business, so a missing or mis-sized tensor fails loudly
 * where it is used.
 */
public final class ReferenceWeights {
  private final Map<String, double[]> tensors;

  private ReferenceWeights(Map<String, double[]> tensors) {
    this.tensors = Map.copyOf(tensors);
  }

  public static ReferenceWeights ofTensors(Map<String, FloatTensor> tensors) {
    Map<String, double[]> wide = new LinkedHashMap<>();
    tensors.forEach((name, t) -> wide.put(name, widen(t.data())));
    return new ReferenceWeights(wide);
  }

  /** Every tensor of a Hugging Face folder's safetensors file(s). */
  public static ReferenceWeights read(Path modelDir) {
    Map<String, double[]> wide = new LinkedHashMap<>();
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(modelDir)) {
      for (String name : checkpoint.names()) {
        wide.put(name, widen(checkpoint.readFloat(name).data()));
      }
    }
    return new ReferenceWeights(wide);
  }

  /** Every tensor of a loaded model's weights (the project's loaders only read; nothing is computed). */
  public static ReferenceWeights read(Weights weights) {
    Map<String, double[]> wide = new LinkedHashMap<>();
    for (String name : weights.names()) {
      wide.put(name, widen(weights.read(name).data()));
    }
    return new ReferenceWeights(wide);
  }

  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  public double[] get(String name) {
    double[] t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("the reference needs tensor '" + name + "', which the weights lack");
    }
    return t;
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
