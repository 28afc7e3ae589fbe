package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.ResultsFolder;
import org.peftharness.tasks.spec.TaskRegistry;

class GridBaselinesTest {
  @TempDir Path dir;

  GridPlan plan(String name, String... baselines) throws IOException {
    Path f = dir.resolve("grids").resolve(name + ".yaml");
    Files.createDirectories(f.getParent());
    Files.writeString(f, String.join("\n",
        "name: " + name,
        "models: [minilm]",
        "methods: [{name: lora, ranks: [4]}]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "baselines: [" + String.join(", ", baselines) + "]",
        ""));
    return GridPlan.load(f, dir.resolve("data"), null, TaskRegistry.builtin(), new FakeMethods());
  }

  Path paper(String relative, String text) throws IOException {
    Path f = dir.resolve("grids").resolve(relative).normalize();
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  @Test
  void copiesEachFileUnderItsName_andAgainIsANoOp() throws IOException {
    paper("../baselines/a.yaml", "baseline: a\n");
    paper("b.yaml", "baseline: b\n");
    GridPlan plan = plan("g", "../baselines/a.yaml", "b.yaml");
    Path out = dir.resolve("out");
    List<Path> copies = GridBaselines.copy(plan, out);
    assertThat(copies).containsExactly(out.resolve("baselines/a.yaml"), out.resolve("baselines/b.yaml"));
    assertThat(new ResultsFolder(out).baselineFiles()).isEqualTo(copies);
    assertThat(Files.readString(copies.get(0))).isEqualTo("baseline: a\n");
    assertThat(GridBaselines.copy(plan, out)).isEqualTo(copies);
    try (var s = Files.list(out.resolve("baselines"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("a.yaml", "b.yaml");
    }
  }

  @Test
  void aGridWithoutBaselines_writesNothing() throws IOException {
    Path f = dir.resolve("plain.yaml");
    Files.writeString(f, "models: [minilm]\nmethods: [full]\ntasks: [synthetic-sentiment]\nseeds: [1]\n");
    GridPlan plan = GridPlan.load(f, dir.resolve("data"), null, TaskRegistry.builtin(), new FakeMethods());
    assertThat(GridBaselines.copy(plan, dir.resolve("out"))).isEmpty();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void anEditedFile_replacesTheCopyInThisGridsFolder() throws IOException {
    Path a = paper("a.yaml", "baseline: a\n");
    GridPlan plan = plan("g", "a.yaml");
    Path out = dir.resolve("out");
    GridBaselines.copy(plan, out);
    plan.manifest().write(out);
    Files.writeString(a, "baseline: a\n# corrected\n");
    GridBaselines.copy(plan, out);
    assertThat(Files.readString(out.resolve("baselines/a.yaml"))).isEqualTo("baseline: a\n# corrected\n");
  }

  @Test
  void anotherGridsDifferingFile_isAnError_andLeftAlone() throws IOException {
    paper("one/a.yaml", "baseline: one\n");
    paper("two/a.yaml", "baseline: two\n");
    Path out = dir.resolve("out");
    GridPlan first = plan("first", "one/a.yaml");
    GridBaselines.copy(first, out);
    first.manifest().write(out);
    GridPlan second = plan("second", "two/a.yaml");
    assertThatThrownBy(() -> GridBaselines.copy(second, out)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("another grid's results");
    assertThat(Files.readString(out.resolve("baselines/a.yaml"))).isEqualTo("baseline: one\n");
    // the same content is no conflict
    paper("two/a.yaml", "baseline: one\n");
    assertThat(GridBaselines.copy(plan("second", "two/a.yaml"), out)).hasSize(1);
  }

  @Test
  void twoFilesOfOneName_areAnError() throws IOException {
    paper("one/a.yaml", "baseline: one\n");
    paper("two/a.yaml", "baseline: two\n");
    GridPlan plan = plan("g", "one/a.yaml", "two/a.yaml");
    assertThatThrownBy(() -> GridBaselines.copy(plan, dir.resolve("out"))).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("baselines"))
        .hasMessageContaining("two files are named 'a.yaml'");
  }
}
