package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.tasks.spec.TaskRegistry;

/**
 * A rank no target matrix can hold is refused by {@code validate} for every method with a rank,
 * naming the grid file, the method's line and field, instead of training until the heap runs out
 * (LoRA rank 100000 on MiniLM's 384x384 matrices).
 */
class MethodRankLimitTest {
  @TempDir Path dir;

  static Stream<String> methodsWithARank() {
    return MethodRegistry.builtin().names().stream().filter(m -> MethodRegistry.builtin().get(m).takesOption(AdapterOptions.RANK.key()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methodsWithARank")
  void aRankAboveMinMNIsAnInputErrorAtValidation(String method) throws IOException {
    Path grid = dir.resolve("grid.yaml");
    Files.writeString(grid, TrainMethodCheckTest.grid("{name: " + method + ", ranks: [100000]}", ""));
    assertThatThrownBy(() -> GridPlan.load(grid, dir.resolve("data"), null, TaskRegistry.builtin(), new RegistryMethodCatalog()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(grid + ":3: methods." + method + ".rank: " + method + " needs rank <= min(m, n), but encoder.layer.0.")
        .hasMessageContaining("(384x384) has min(m, n) = 384 < rank 100000");
  }
}
