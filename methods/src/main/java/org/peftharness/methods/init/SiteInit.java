package org.peftharness.methods.init;

import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;

/**
 * The tensors a method creates for one adapted m×n matrix. {@code a} (r×n), {@code b} (m×r),
 * {@code r} (r×r) exist only where the method has them; {@code residual} (m×n) is set when the
 * method replaces the frozen base W0 by W_res (PiSSA, LoRA-GA), else null.
 */
public record SiteInit(FloatTensor a, FloatTensor b, FloatTensor r, FloatTensor residual) {
  /** Named as {@code inspect init} prints them: A, B, R, W_base (the frozen base in use). */
  public Map<String, FloatTensor> named(FloatTensor w0) {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    if (a != null) {
      m.put("A", a);
    }
    if (b != null) {
      m.put("B", b);
    }
    if (r != null) {
      m.put("R", r);
    }
    m.put("W_base", residual != null ? residual : w0);
    return m;
  }
}
