package org.peftharness.grid;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.Role;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.model.ModelConfig;

/** The grid's view of the method registry: option parsing and the rank limits of the model's target matrices. */
public final class RegistryMethodCatalog implements MethodCatalog {
  @Override
  public Set<String> names() {
    return MethodRegistry.builtin().names();
  }

  @Override
  public boolean usesRank(String method) {
    return MethodRegistry.builtin().get(method).takesOption(AdapterOptions.RANK.key());
  }

  @Override
  public Set<Role> trainableRoles(String method) {
    return MethodRegistry.builtin().get(method).trainableRoles();
  }

  @Override
  public boolean sweepable(String method, String option) {
    return MethodRegistry.builtin().get(method).options().stream().anyMatch(o -> o.key().equals(option) && !o.listValued());
  }

  @Override
  public Optional<FineTuningMethod.TrainSettingProblem> trainSettingProblem(String method, double lr, double warmupRatio) {
    return MethodRegistry.builtin().get(method).trainSettingProblem(lr, warmupRatio);
  }

  @Override
  public Map<String, Object> resolve(MethodEntry entry, Integer rank, ModelConfig model) {
    String where = "methods." + entry.name();
    try {
      MethodConfig<?> o = options(entry, rank);
      var targets = o.targets(model.architecture().defaultTargets());
      boolean any = false;
      for (LinearSite s : model.architecture().linearSites(model)) {
        if (o.adapts(s.module(), targets)) {
          any = true;
          o.checkShape(s.module(), s.outFeatures(), s.inFeatures());
        }
      }
      if (!any && !o.trainsNothing()) {
        throw new InvalidInputException((String) null, 0, AdapterOptions.TARGET_MODULES.key(),
            "target modules " + targets + " match no linear map of a " + model.modelType() + " model");
      }
      return new TreeMap<>(o.toMap());
    } catch (InvalidInputException e) {
      String field = e.field() == null ? where : where + "." + e.field();
      throw new InvalidInputException(entry.node().source(), entry.node().line(), field, e.problem());
    }
  }

  /** The entry's options with the rank of this cell; the registry fills the defaults and validates. */
  public static MethodConfig<?> options(MethodEntry entry, Integer rank) {
    Map<String, Object> map = new TreeMap<>(entry.options());
    map.put(MethodConfig.METHOD_KEY, entry.name());
    if (rank != null) {
      map.put(AdapterOptions.RANK.key(), rank);
    }
    return MethodConfig.fromMap(map, entry.node().source());
  }
}
