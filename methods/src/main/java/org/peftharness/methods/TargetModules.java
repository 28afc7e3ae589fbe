package org.peftharness.methods;

import java.util.List;

/**
 * Which linear maps a method adapts: module-path suffixes, matched as PEFT does. Each architecture
 * names its own defaults ({@code Architecture.defaultTargets} in the model module).
 */
public final class TargetModules {
  private TargetModules() {}

  /**
   * PEFT's rule for a list of targets: the module path equals a target or ends with "." + target.
   * So {@code output.dense} matches {@code encoder.layer.3.output.dense} and also
   * {@code encoder.layer.3.attention.output.dense} (both are targets by default), while
   * {@code intermediate.dense} matches neither {@code output.dense} nor {@code query}.
   */
  public static boolean matches(String module, List<String> targets) {
    for (String t : targets) {
      if (module.equals(t) || module.endsWith("." + t)) {
        return true;
      }
    }
    return false;
  }
}
