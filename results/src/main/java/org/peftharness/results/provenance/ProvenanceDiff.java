package org.peftharness.results.provenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The observed facts two runs of a cell disagree on, leaving out {@link ProvenanceIO#VOLATILE} ones (times, pids). */
public final class ProvenanceDiff {
  /** One fact by its dotted path under {@code observed}; null where a run did not record it. */
  public record Change(String fact, String before, String after) {}

  private ProvenanceDiff() {}

  public static List<Change> between(CellProvenance before, CellProvenance after) {
    Map<String, String> a = ProvenanceIO.leaves(ProvenanceIO.toJson(before).path(ProvenanceIO.OBSERVED));
    Map<String, String> b = ProvenanceIO.leaves(ProvenanceIO.toJson(after).path(ProvenanceIO.OBSERVED));
    TreeSet<String> facts = new TreeSet<>(a.keySet());
    facts.addAll(b.keySet());
    List<Change> out = new ArrayList<>();
    for (String k : facts) {
      String leaf = k.substring(k.lastIndexOf('.') + 1);
      if (!ProvenanceIO.VOLATILE.contains(leaf) && !Objects.equals(a.get(k), b.get(k))) {
        out.add(new Change(k, a.get(k), b.get(k)));
      }
    }
    return out;
  }
}
