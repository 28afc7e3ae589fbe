package org.peftharness.methods.adapter;

import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Role;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.init.SiteInit;

/**
 * The values of one adapted site at some moment (e.g. after training).
 *
 * @param weight the frozen base in use (W0 or W_res); under full FT the trained weight
 * @param bias the bias, or null
 * @param a A (r×n) or null; b B (m×r) or null; r R (r×r) or null
 * @param init the initial tensors (A0, B0 for the rank-2r PEFT conversion of PiSSA / LoRA-GA)
 * @param own the variables of roles a method declares in its own package (DoRA's magnitude), by role; empty for most methods
 */
public record SiteState(LinearSite site, FloatTensor weight, FloatTensor bias, FloatTensor a, FloatTensor b,
    FloatTensor r, SiteInit init, Map<Role, FloatTensor> own) {
  public SiteState {
    own = Map.copyOf(own);
  }
}
