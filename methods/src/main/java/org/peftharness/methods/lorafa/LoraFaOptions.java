package org.peftharness.methods.lorafa;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;

/**
 * LoRA-FA's options: LoRA's, whether to use PEFT's LoRA-FA optimizer, and how A and B start.
 *
 * @param correction PEFT's gradient correction of B (default true); false gives LoRA-FA v1 (plain AdamW on B)
 * @param init the start of A and B (default random)
 */
public record LoraFaOptions(AdapterOptions adapter, boolean correction, LoraFaInit init) implements MethodOptions {
  public static final Option<Boolean> CORRECTION = Option.bool("lorafa_optimizer",
      "PEFT's LoRA-FA optimizer: B's gradient times (A Aᵀ)⁻¹/s², Adam eps 1e-6 (default true; false: plain AdamW, LoRA-FA v1)");
  public static final Option<LoraFaInit> INIT = Option.choice("init",
      "start of A, B: random (default; kaiming A, B = 0); seed-svd (svd-lorafa's code: A = (U_r S_r)ᵀ, B = Vh[:, :r] "
          + "from the exact SVD W0 = U S Vh with the largest-|entry| of each u_i positive, no residual, so the model "
          + "moves at step 0 and the start depends on that sign convention; square W only; the seed uses alpha 1); "
          + "svd-residual (A = S_r^½ Vh[:r], B = U_r S_r^½, base W0 − s·B·A)",
      LoraFaInit.values());

  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.of(adapter);
  }

  /** The adapter options, lorafa_optimizer, and init only when not random (so the cell ids of random-init runs are unchanged). */
  @Override
  public void writeTo(Map<String, Object> canonical) {
    adapter.writeTo(canonical);
    canonical.put(CORRECTION.key(), correction);
    if (init != LoraFaInit.RANDOM) {
      canonical.put(INIT.key(), init.text());
    }
  }
}
