package org.peftharness.methods.options;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.linalg.Svd;

/** The options of a method that is an adapter plus an SVD initialisation and nothing else (PiSSA, LoRA-XS). */
public record SvdAdapterOptions(AdapterOptions adapter, Svd.Options svd) implements MethodOptions {
  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.of(adapter);
  }

  @Override
  public void writeTo(Map<String, Object> canonical) {
    adapter.writeTo(canonical);
    SvdChoice.write(svd, canonical);
  }
}
