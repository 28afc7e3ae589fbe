package org.peftharness.methods.init;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Role;

/**
 * The tensors a method creates for one adapted m×n matrix, by role: A (r×n), B (m×r), R (r×r)
 * where the method has them, and WEIGHT (m×n) when the method replaces the frozen base W0 by a
 * residual W_res (PiSSA, LoRA-GA).
 */
public record SiteInit(Map<Role, FloatTensor> tensors) {
  /** A method that creates nothing (full fine-tuning). */
  public static final SiteInit NONE = new SiteInit(Map.of());

  public SiteInit {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** A and B, with an optional R and residual (null where absent), in that order. */
  public static SiteInit of(FloatTensor a, FloatTensor b, FloatTensor r, FloatTensor residual) {
    Map<Role, FloatTensor> t = new LinkedHashMap<>();
    t.put(Role.A, a);
    t.put(Role.B, b);
    if (r != null) {
      t.put(Role.R, r);
    }
    if (residual != null) {
      t.put(Role.WEIGHT, residual);
    }
    return new SiteInit(t);
  }

  public FloatTensor a() {
    return tensors.get(Role.A);
  }

  public FloatTensor b() {
    return tensors.get(Role.B);
  }

  public FloatTensor r() {
    return tensors.get(Role.R);
  }

  /** W_res, or null where the base stays W0. */
  public FloatTensor residual() {
    return tensors.get(Role.WEIGHT);
  }

  /**
   * Named as {@code inspect init} prints them: each adapter tensor by its role (A, B, R), then the
   * weight as {@code weightName} (the frozen base in use, W_res or W0; the trained weight's start).
   */
  public Map<String, FloatTensor> named(FloatTensor w0, String weightName) {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    tensors.forEach((role, t) -> {
      if (!role.equals(Role.WEIGHT)) {
        m.put(role.name(), t);
      }
    });
    m.put(weightName, residual() != null ? residual() : w0);
    return m;
  }
}
