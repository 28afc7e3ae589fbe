package org.peftharness.model;

import java.nio.file.Path;
import java.util.Set;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsCheckpoint;

/** Weights of a Hugging Face model folder (single or sharded safetensors). */
public final class SafetensorsWeights implements Weights {
  private final Path dir;
  private final SafetensorsCheckpoint checkpoint;

  public SafetensorsWeights(Path dir) {
    this.dir = dir;
    this.checkpoint = SafetensorsCheckpoint.open(dir);
  }

  @Override
  public Set<String> names() {
    return checkpoint.names();
  }

  @Override
  public FloatTensor read(String name) {
    return checkpoint.readFloat(name);
  }

  @Override
  public String source() {
    return dir.toString();
  }

  @Override
  public void close() {
    checkpoint.close();
  }
}
