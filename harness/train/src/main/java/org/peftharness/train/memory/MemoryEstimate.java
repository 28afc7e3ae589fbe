package org.peftharness.train.memory;

import java.util.List;

/**
 * The estimated peak memory of one phase of a cell (training, evaluation), as the sum of its
 * terms, each with its reason. Only the bytes TensorFlow's allocator holds are counted: the JVM and
 * the native runtime are outside it.
 */
public record MemoryEstimate(String phase, List<MemoryTerm> terms) {
  public MemoryEstimate {
    terms = List.copyOf(terms);
  }

  public long total() {
    return terms.stream().mapToLong(MemoryTerm::bytes).sum();
  }

  /** The bytes of the named term, 0 when the estimate has none. */
  public long bytes(String term) {
    return terms.stream().filter(t -> t.name().equals(term)).mapToLong(MemoryTerm::bytes).sum();
  }
}
