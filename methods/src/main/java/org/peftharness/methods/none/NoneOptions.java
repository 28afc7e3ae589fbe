package org.peftharness.methods.none;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.options.AdapterOptions;

/** Evaluating the base model takes no options. */
public record NoneOptions() implements MethodOptions {
  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.empty();
  }

  @Override
  public void writeTo(Map<String, Object> canonical) {}
}
