package org.peftharness.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.results.AtomicFiles;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.train.memory.MemoryEstimate;
import org.peftharness.train.memory.MemoryTerm;

/**
 * {@code harness plan --memory-json FILE}: every listed cell's memory estimate as JSON, phase by
 * phase and term by term in bytes, with the device check and its advice when a device was given.
 */
public final class MemoryPlanJson {
  private MemoryPlanJson() {}

  public static void write(GridPlan plan, Shard shard, OptionalLong device, TaskRegistry tasks, Path file) throws IOException {
    ObjectNode root = JsonDocument.MAPPER.createObjectNode();
    root.put("grid", plan.spec().name());
    device.ifPresent(d -> root.put("device_bytes", d));
    ArrayNode cells = root.putArray("cells");
    for (Cell c : plan.cells()) {
      if (!shard.contains(c)) {
        continue;
      }
      CellMemory m = CellMemory.of(c, plan, tasks);
      ObjectNode n = cells.addObject();
      n.put("index", c.index());
      n.put("id", c.id());
      n.put("label", c.label());
      n.put("peak_bytes", m.peak().total());
      n.put("peak_phase", m.peak().phase());
      device.ifPresent(d -> {
        n.put("fits", m.fits(d));
        ArrayNode advice = n.putArray("advice");
        m.advice(d).forEach(advice::add);
      });
      ArrayNode phases = n.putArray("phases");
      phase(phases, m.training(), null);
      m.prePass().ifPresent(p -> phase(phases, p, null));
      for (int i = 0; i < m.evaluations().size(); i++) {
        phase(phases, m.evaluations().get(i), c.evaluations().get(i).task());
      }
    }
    AtomicFiles.write(file, JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private static void phase(ArrayNode phases, MemoryEstimate e, String task) {
    if (e.terms().isEmpty()) {
      return;
    }
    ObjectNode p = phases.addObject();
    p.put("phase", e.phase());
    if (task != null) {
      p.put("task", task);
    }
    p.put("total_bytes", e.total());
    ArrayNode terms = p.putArray("terms");
    for (MemoryTerm t : e.terms()) {
      terms.addObject().put("name", t.name()).put("bytes", t.bytes()).put("why", t.why());
    }
  }
}
