package org.peftharness.cell;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.peftharness.results.Hashes;
import org.peftharness.tasks.training.ValidationHoldout;

/** How provenance records the validation examples a cell held out: enough to draw them again and to check they are the same. */
final class HeldOutRecord {
  private HeldOutRecord() {}

  static Map<String, String> of(ValidationHoldout h) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("examples", Integer.toString(h.validation().size()));
    m.put("of_training_records", Integer.toString(h.validation().size() + h.train().size()));
    m.put("draw", "Fisher-Yates, stream " + ValidationHoldout.STREAM + "/<task> of root " + ValidationHoldout.ROOT);
    m.put("seed", Long.toString(h.seed()));
    m.put("indices_sha256", indicesHash(h));
    return m;
  }

  /** The SHA-256 of the held-out positions in the training file, ascending, comma-separated. */
  static String indicesHash(ValidationHoldout h) {
    return Hashes.sha256(h.indices().stream().map(String::valueOf).collect(Collectors.joining(",")));
  }
}
