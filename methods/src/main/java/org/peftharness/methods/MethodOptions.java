package org.peftharness.methods;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.options.AdapterOptions;

/**
 * The resolved, typed options of one method (every default filled in), a record per method. Each
 * writes itself into the canonical map whose SHA-256 names a cell, so the keys and values written
 * here are part of every cell id.
 */
public interface MethodOptions {
  /** The options every adapter shares (rank, alpha, ...); empty for a method that adds no adapter. */
  Optional<AdapterOptions> adapterOptions();

  /** Puts every option with its resolved value, in canonical order, after the {@code method} key. */
  void writeTo(Map<String, Object> canonical);
}
