package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.ResultsFolder;

/**
 * Faults of the user's environment rather than of their input files: output paths that cannot be
 * written, a folder that stops taking writes under a run, result files cut by a kill, and cells
 * that failed in an earlier run. Each is named in one line (exit 2, or 3 for a run that cannot
 * record), never as an internal error with a stack trace.
 */
class FaultsCliTest {
  @TempDir Path dir;

  /** The exit code, the words the message must have, and no trace of a crash anywhere. */
  static void assertReported(CliRunner r, int code, String... words) {
    assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(code);
    assertThat(r.err()).contains(words);
    assertThat(r.err() + r.out()).doesNotContain("internal error").doesNotContain("\tat ").doesNotContain("Exception");
  }

  /** A one-cell grid of a small MiniLM run (a few seconds). */
  Path grid(String name) throws IOException {
    Path g = dir.resolve(name + ".yaml");
    Files.writeString(g, String.join("\n",
        "name: " + name,
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "data_dir: data",
        "methods:",
        "  - {name: lora, ranks: [4], alpha: 8}",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 24, limit_train: 16}",
        "eval: {limit: 16}", ""));
    return g;
  }

  @Test
  void outputPathsThatCannotBeWrittenAreInvalidInputNamingTheArgumentAndThePath() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path folder = Files.createDirectories(dir.resolve("a-folder"));
    Path results = Files.createDirectories(dir.resolve("results"));
    String g = grid("outs").toString();
    record Case(String[] args, String... words) {}
    List<Case> cases = new ArrayList<>(List.of(
        new Case(new String[] {"run", "--grid", g, "--out", file.toString()}, "argument --out", file + " is a file, not a folder"),
        new Case(new String[] {"run", "--grid", g, "--out", file.resolve("sub").toString()}, "argument --out",
            file + " is a file, not a folder"),
        new Case(new String[] {"report", results.toString(), "--out", file.toString()}, "argument --out", "is a file, not a folder"),
        new Case(new String[] {"report", results.toString(), "--out", file.resolve("r").toString()}, "argument --out",
            file + " is a file, not a folder"),
        new Case(new String[] {"check", results.toString(), "--baselines", "b.yaml", "--junit", folder.toString()},
            "argument --junit", folder + " is a folder, not a file"),
        new Case(new String[] {"check", results.toString(), "--baselines", "b.yaml", "--junit", file.resolve("j.xml").toString()},
            "argument --junit", file + " is a file, not a folder")));
    Path readOnly = Files.createDirectories(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    // the superuser writes anywhere a permission would stop others: only a read-only mount stops it
    if (!Files.isWritable(readOnly)) {
      cases.add(new Case(new String[] {"report", results.toString(), "--out", readOnly.resolve("r").toString()}, "argument --out",
          readOnly + " cannot be written"));
      cases.add(new Case(new String[] {"run", "--grid", g, "--out", readOnly.toString()}, "argument --out", readOnly + " cannot be written"));
      cases.add(new Case(new String[] {"check", results.toString(), "--baselines", "b.yaml", "--junit", readOnly.resolve("j.xml").toString()},
          "argument --junit", readOnly + " cannot be written"));
    }
    for (Case c : cases) {
      assertReported(CliRunner.run(c.args()), 2, c.words());
    }
    assertThat(file).hasContent("x");
  }

  @Test
  void aResultsFolderThatStopsTakingWritesEndsTheRunWithExit3NamingThePath() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    // where the cells' folders go, something no process can write into, for the superuser too
    Files.writeString(out.resolve(ResultsFolder.CELLS), "not a folder");
    CliRunner r = CliRunner.run("run", "--grid", grid("stuck").toString(), "--out", out.toString(), "--no-report");
    assertReported(r, 3, "run failed: cannot record in " + out, out.resolve(ResultsFolder.CELLS).toString(), "Not a directory");
  }

  @Test
  void cutResultFilesAreRebuiltOrNamedAndEarlierFailuresAreSaid() throws IOException {
    Path g = grid("cut");
    Path out = dir.resolve("out");
    CliRunner first = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString(), "--no-report");
    assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
    Path csv = out.resolve(ResultsFolder.RESULTS_CSV);
    String whole = Files.readString(csv);

    // a results.csv torn by a kill is rebuilt from the cells, and the report reads the cells
    Files.writeString(csv, whole.substring(0, whole.length() / 2));
    CliRunner resumed = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString());
    assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
    assertThat(csv).hasContent(whole);
    Files.delete(csv);
    assertThat(CliRunner.run("report", out.toString(), "--out", dir.resolve("report").toString()).exitCode()).isZero();

    // a generations.jsonl cut in its third line is named by file and line
    Path cell;
    try (var s = Files.list(out.resolve(ResultsFolder.CELLS))) {
      cell = s.findFirst().orElseThrow();
    }
    Path generations = cell.resolve("eval/synthetic-sentiment/generations.jsonl");
    List<String> lines = Files.readAllLines(generations);
    Files.writeString(generations, lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2).substring(0, lines.get(2).length() / 2));
    assertReported(CliRunner.run("rescore", out.toString()), 2, generations + ":3: not a JSON line");

    // a cell that failed before is skipped, and the summary says how to run it again
    Path rows = cell.resolve(ResultsFolder.ROWS_CSV);
    Files.writeString(rows, Files.readString(rows).replace(",OK,", ",FAILED,"));
    CliRunner again = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString(), "--no-report");
    assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
    assertThat(again.out()).contains("done: 0 ok, 0 failed, 1 skipped (finished before); 1 failed earlier: rerun with --retry-failed");
  }
}
