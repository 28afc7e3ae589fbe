package org.peftharness.methods.lorafa;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;

/**
 * LoRA-FA's options: LoRA's, and whether to use PEFT's LoRA-FA optimizer.
 *
 * @param correction PEFT's gradient correction of B (default true); false gives LoRA-FA v1 (plain AdamW on B)
 */
public record LoraFaOptions(AdapterOptions adapter, boolean correction) implements MethodOptions {
  public static final Option<Boolean> CORRECTION = Option.bool("lorafa_optimizer",
      "PEFT's LoRA-FA optimizer: B's gradient times (A Aᵀ)⁻¹/s², Adam eps 1e-6 (default true; false: plain AdamW, LoRA-FA v1)");

  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.of(adapter);
  }

  @Override
  public void writeTo(Map<String, Object> canonical) {
    adapter.writeTo(canonical);
    canonical.put(CORRECTION.key(), correction);
  }
}
