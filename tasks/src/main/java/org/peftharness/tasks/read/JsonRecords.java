package org.peftharness.tasks.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peftharness.core.InvalidInputException;

/** Reads JSON Lines files and top-level JSON arrays of objects, keeping each object's start line. */
public final class JsonRecords {
  private JsonRecords() {}

  private static final ObjectMapper MAPPER = newMapper();

  private static ObjectMapper newMapper() {
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(Limits.MAX_STRING_CHARS)
                    .maxNestingDepth(64)
                    .build())
            .build();
    return new ObjectMapper(f);
  }

  /** A mapper with the same size limits, for other JSON inputs (predictions files). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Every non-blank line of a JSONL file must be one JSON object. Blank lines are not records. */
  public static List<JsonRecord> readJsonl(Path file) {
    List<JsonRecord> out = new ArrayList<>();
    try (LineReader lines = new LineReader(file)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw new InvalidInputException(
              file, lines.lineNumber(), fieldAt(e), "not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
          throw new InvalidInputException(
              file, lines.lineNumber(), null, "expected a JSON object on this line, found " + kind(node));
        }
        out.add(new JsonRecord(file, lines.lineNumber(), out.size(), obj));
      }
    }
    return out;
  }

  /** A file whose top level is an array of objects (LLM-Adapters, MetaMathQA). */
  public static List<JsonRecord> readArray(Path file) {
    LineReader.checkSize(file);
    List<JsonRecord> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = MAPPER.getFactory().createParser(in)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) {
        throw new InvalidInputException(
            file, line(p.currentTokenLocation()), null, "expected a JSON array of records at the top level");
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new InvalidInputException(file, line(p.currentLocation()), null, "unexpected end of file inside the array");
        }
        int start = line(p.currentTokenLocation());
        if (t != JsonToken.START_OBJECT) {
          throw new InvalidInputException(
              file, start, null, "expected a JSON object as record " + out.size() + ", found " + t.asString());
        }
        ObjectNode obj = MAPPER.readTree(p);
        out.add(new JsonRecord(file, start, out.size(), obj));
      }
      if (p.nextToken() != null) {
        throw new InvalidInputException(file, line(p.currentTokenLocation()), null, "content after the top-level array");
      }
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      throw new InvalidInputException(
          file, loc == null ? 0 : line(loc), fieldAt(e), "not valid JSON: " + e.getOriginalMessage());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, 0, null, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /** The key whose value was being read when the syntax error came, if the parser knows it. */
  public static String fieldAt(JsonProcessingException e) {
    if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
      return p.getParsingContext().getCurrentName();
    }
    return null;
  }

  private static int line(JsonLocation loc) {
    return Math.max(0, loc.getLineNr());
  }

  private static String kind(JsonNode n) {
    return n == null ? "nothing" : n.getNodeType().toString().toLowerCase();
  }
}
