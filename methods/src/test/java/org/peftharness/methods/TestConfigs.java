package org.peftharness.methods;

import java.util.LinkedHashMap;
import java.util.Map;

/** Method configurations for the tests, parsed as a grid file's would be. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The method with these options ({@code key, value, ...}), validated. */
  public static MethodConfig<?> of(String method, Object... keysAndValues) {
    return of(MethodRegistry.builtin(), method, keysAndValues);
  }

  public static MethodConfig<?> of(MethodRegistry registry, String method, Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MethodConfig.METHOD_KEY, method);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return registry.config(m, "test");
  }

  /** The adapter scaling s of a configuration. */
  public static double scaling(MethodConfig<?> c) {
    return c.adapterOptions().orElseThrow().scaling();
  }
}
