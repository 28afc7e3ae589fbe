package org.peftharness.grid;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.Role;
import org.peftharness.model.ModelConfig;

/** A stand-in catalog for testing the grid's own logic: two methods, alpha must be a number, rank <= hidden size. */
final class FakeMethods implements MethodCatalog {
  @Override
  public Set<String> names() {
    return Set.of("full", "lora");
  }

  @Override
  public boolean usesRank(String method) {
    return method.equals("lora");
  }

  @Override
  public Set<Role> trainableRoles(String method) {
    return method.equals("lora") ? Set.of(Role.A, Role.B) : Set.of(Role.WEIGHT, Role.BIAS);
  }

  @Override
  public boolean sweepable(String method, String option) {
    return method.equals("lora") && option.equals("alpha");
  }

  @Override
  public Map<String, Object> resolve(MethodEntry entry, Integer rank, ModelConfig model) {
    Map<String, Object> m = new TreeMap<>();
    if (rank != null) {
      if (rank > model.hiddenSize()) {
        throw new InvalidInputException(entry.node().source(), entry.node().line(), "methods." + entry.name() + ".ranks",
            "rank " + rank + " exceeds what " + model.hiddenSize() + "-wide matrices allow");
      }
      m.put("rank", rank);
      m.put("alpha", Double.parseDouble(entry.options().getOrDefault("alpha", String.valueOf(rank)).toString()));
    }
    return m;
  }
}
