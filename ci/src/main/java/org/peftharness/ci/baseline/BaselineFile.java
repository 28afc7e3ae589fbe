package org.peftharness.ci.baseline;

import java.util.List;

/** A parsed baseline file: a name, free text, and its entries in file order. */
public record BaselineFile(String source, String name, String description, String note, List<BaselineEntry> entries) {
  public BaselineFile {
    entries = List.copyOf(entries);
  }
}
