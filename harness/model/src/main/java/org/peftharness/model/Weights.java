package org.peftharness.model;

import java.util.Set;
import org.peftharness.core.tensor.FloatTensor;

/**
 * Pretrained tensors by their PyTorch names and in PyTorch layout ({@code [out, in]} for linear
 * weights), whatever file format they came from.
 */
public interface Weights extends AutoCloseable {
  Set<String> names();

  FloatTensor read(String name);

  /** Where the weights came from, for error messages and provenance. */
  String source();

  @Override
  void close();

  /**
   * Finds the stored name for a canonical one: Hugging Face saves task models with a prefix
   * ({@code roberta.}, {@code bert.}) that the bare encoder does not have.
   */
  default String resolve(String canonical, String... prefixes) {
    if (names().contains(canonical)) {
      return canonical;
    }
    for (String p : prefixes) {
      if (names().contains(p + canonical)) {
        return p + canonical;
      }
    }
    return null;
  }
}
