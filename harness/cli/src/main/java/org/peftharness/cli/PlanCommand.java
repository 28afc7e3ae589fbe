package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.peftharness.cell.GpuMemory;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.MemoryPlanJson;
import org.peftharness.grid.PlanListing;
import org.peftharness.grid.Shard;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.train.memory.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness plan GRID} (also {@code run --dry-run}): the cells, which are done, and what the rest will cost. */
@Command(name = "plan",
    description = "List a grid's cells, which are already done in the results folder, an estimate of the time left, and each"
        + " cell's estimated peak memory (against a device's memory with --device-memory or --detect-gpu).")
final class PlanCommand extends BaseCommand {
  @Mixin GridOptions grid;

  @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: runs/<grid name>).")
  Path out;

  @Option(names = "--shard", paramLabel = "i/n", description = "Only this slice of the cells.")
  String shard;

  @Option(names = "--no-files", description = "Plan without checking that the data files and model weights are present here.")
  boolean noFiles;

  @Option(names = "--device-memory", paramLabel = "SIZE",
      description = "The accelerator's memory, e.g. 80GiB, 24GB, 512MiB: mark the cells that do not fit and what would.")
  String deviceMemory;

  @Option(names = "--detect-gpu", description = "Check the cells against the memory TensorFlow reports for this machine's"
      + " first GPU (a GPU build on a GPU machine); without a GPU, exit 2 asking for --device-memory.")
  boolean detectGpu;

  @Option(names = "--memory", description = "Break each cell's estimated peak down by term, with the reason for each.")
  boolean breakdown;

  @Option(names = "--memory-json", paramLabel = "FILE",
      description = "Also write every cell's memory estimate, phase by phase and term by term in bytes, as JSON.")
  Path memoryJson;

  @Override
  protected ExitCode execute() throws IOException {
    OptionalLong device = OptionalLong.empty();
    String source = "";
    if (deviceMemory != null) {
      try {
        device = OptionalLong.of(ByteSize.parse(deviceMemory));
        source = "--device-memory";
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("argument --device-memory", 0, null, e.getMessage());
      }
    } else if (detectGpu) {
      device = GpuMemory.firstGpuBytes();
      if (device.isEmpty()) {
        throw new InvalidInputException("argument --detect-gpu", 0, null,
            "TensorFlow sees no GPU here (a CPU build, or no GPU on this machine); give its memory with --device-memory, e.g. 80GiB");
      }
      source = "TensorFlow's memory limit of GPU:0";
    }
    GridPlan plan = grid.plan(!noFiles);
    Shard slice = shard == null ? Shard.ALL : Shard.parse(shard);
    PlanListing.print(plan, GridOptions.resultsDir(out, plan), slice, out(),
        new PlanListing.MemoryView(device, source, breakdown, TaskRegistry.builtin()));
    if (memoryJson != null) {
      MemoryPlanJson.write(plan, slice, device, TaskRegistry.builtin(), memoryJson);
    }
    return ExitCode.OK;
  }
}
