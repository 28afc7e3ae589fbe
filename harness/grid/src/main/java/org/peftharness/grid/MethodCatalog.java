package org.peftharness.grid;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.model.ModelConfig;

/** What the grid needs to know of the fine-tuning methods: names, whether they take a rank, and option checking. */
public interface MethodCatalog {
  Set<String> names();

  boolean usesRank(String method);

  /** The roles of the variables the method's optimizer updates (LoRA+ needs a B; {@code none} has none). */
  Set<Role> trainableRoles(String method);

  /** Whether a grid's list for this option of the method is a sweep over its items (the option exists and takes one value). */
  boolean sweepable(String method, String option);

  /** What the method cannot start from in these training settings (e.g. LoRA-SB without warmup); empty when it can. */
  default Optional<FineTuningMethod.TrainSettingProblem> trainSettingProblem(String method, double lr, double warmupRatio) {
    return Optional.empty();
  }

  /**
   * The method's fully resolved options for one cell (defaults filled in), checked against the
   * model's shapes (e.g. a rank no target matrix allows).
   *
   * @throws org.peftharness.core.InvalidInputException naming the entry's file, line and option
   */
  Map<String, Object> resolve(MethodEntry entry, Integer rank, ModelConfig model);
}
