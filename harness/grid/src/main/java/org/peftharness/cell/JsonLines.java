package org.peftharness.cell;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.peftharness.core.json.JsonDocument;

/** An append-only JSON-lines file of a cell (metrics.jsonl, generations.jsonl), flushed line by line. */
final class JsonLines implements AutoCloseable {
  private final BufferedWriter out;

  JsonLines(Path file) throws IOException {
    out = Files.newBufferedWriter(file);
  }

  /** Adds one line to the end of {@code file} (created if missing). */
  static void append(Path file, ObjectNode node) throws IOException {
    Files.writeString(file, JsonDocument.MAPPER.writeValueAsString(node) + "\n", StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static ObjectNode object() {
    return JsonDocument.MAPPER.createObjectNode();
  }

  void write(ObjectNode node) {
    try {
      out.write(JsonDocument.MAPPER.writeValueAsString(node));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
