package org.peftharness.methods.lorasb;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.linalg.Svd;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.EstimationOptions;
import org.peftharness.methods.options.SvdChoice;

/** LoRA-SB's options: alpha fixed to the rank; 50 estimation samples in batches of 3 (its arithmetic script). */
public record LoraSbOptions(AdapterOptions adapter, Svd.Options svd, EstimationOptions estimation) implements MethodOptions {
  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.of(adapter);
  }

  @Override
  public void writeTo(Map<String, Object> canonical) {
    adapter.writeTo(canonical);
    SvdChoice.write(svd, canonical);
    estimation.writeTo(canonical);
  }
}
