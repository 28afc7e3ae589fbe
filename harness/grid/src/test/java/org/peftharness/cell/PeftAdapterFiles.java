package org.peftharness.cell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;

/** Adapter folders written by hand in PEFT's layout (save_pretrained), independently of the harness's exporter. */
public final class PeftAdapterFiles {
  private PeftAdapterFiles() {}

  public static void write(Path dir, Map<String, Object> config, Map<String, FloatTensor> tensors) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("adapter_config.json"), JsonDocument.MAPPER.writeValueAsString(config));
    SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), tensors, Map.of("format", "pt"));
  }

  /** Gaussian entries with standard deviation {@code std}. */
  public static FloatTensor gaussian(SplittableRandom rng, double std, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() * std);
    }
    return new FloatTensor(shape, v);
  }

  /** W + s·B·A, accumulated in double and rounded once, as peft's merge computes the delta (tuners/lora/layer.py, get_delta_weight). */
  public static FloatTensor merged(FloatTensor w, FloatTensor a, FloatTensor b, double s) {
    int m = (int) w.shape()[0];
    int n = (int) w.shape()[1];
    int r = (int) a.shape()[0];
    float[] out = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double d = 0;
        for (int k = 0; k < r; k++) {
          d += (double) b.data()[i * r + k] * a.data()[k * n + j];
        }
        out[i * n + j] = (float) (w.data()[i * n + j] + s * d);
      }
    }
    return new FloatTensor(w.shape(), out);
  }
}
