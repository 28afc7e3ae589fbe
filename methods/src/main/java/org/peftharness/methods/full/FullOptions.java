package org.peftharness.methods.full;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.options.AdapterOptions;

/** Full fine-tuning has no options of its own (its hyperparameters are the training settings). */
public record FullOptions() implements MethodOptions {
  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.empty();
  }

  @Override
  public void writeTo(Map<String, Object> canonical) {}
}
