package org.peftharness.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.files.TextFiles;

/**
 * A JSON object read from a user's file, remembering the line of every top-level key so that a
 * wrong or missing value can be reported as {@code file:line: field: problem}. Typed getters turn
 * type mismatches into such errors rather than silent defaults.
 */
public final class JsonDocument {
  public static final ObjectMapper MAPPER = new ObjectMapper(
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  /** Configuration files are small; anything larger is not what the user meant to pass. */
  private static final long MAX_BYTES = 64L << 20;

  private final String source;
  private final JsonNode root;
  private final Map<String, Integer> lines;

  private JsonDocument(String source, JsonNode root, Map<String, Integer> lines) {
    this.source = source;
    this.root = root;
    this.lines = lines;
  }

  public static JsonDocument read(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InvalidInputException(file, null, "larger than " + MAX_BYTES + " bytes");
      }
      text = TextFiles.readUtf8(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, null, "file not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  public static JsonDocument parse(String source, String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidInputException(source, line, null, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(source, 1, null, "expected a JSON object");
    }
    return new JsonDocument(source, root, topLevelLines(text));
  }

  private static Map<String, Integer> topLevelLines(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      int depth = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME && depth == 1) {
          lines.put(p.currentName(), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // already parsed successfully above; line numbers are a courtesy
    }
    return lines;
  }

  public String source() {
    return source;
  }

  public JsonNode root() {
    return root;
  }

  public boolean has(String key) {
    JsonNode n = root.get(key);
    return n != null && !n.isNull();
  }

  public int line(String key) {
    return lines.getOrDefault(key, 0);
  }

  public InvalidInputException error(String key, String problem) {
    return new InvalidInputException(source, line(key), key, problem);
  }

  public String requireString(String key) {
    return optString(key).orElseThrow(() -> error(key, "required field is missing"));
  }

  public Optional<String> optString(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode n = root.get(key);
    if (!n.isTextual()) {
      throw error(key, "expected a string, got " + n);
    }
    return Optional.of(n.asText());
  }

  public int requireInt(String key) {
    return optInt(key).orElseThrow(() -> error(key, "required field is missing"));
  }

  public Optional<Integer> optInt(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode n = root.get(key);
    if (!n.canConvertToExactIntegral() || !n.canConvertToInt()) {
      throw error(key, "expected an integer, got " + n);
    }
    return Optional.of(n.asInt());
  }

  public int positiveInt(String key) {
    int v = requireInt(key);
    if (v <= 0) {
      throw error(key, "must be positive, got " + v);
    }
    return v;
  }

  public Optional<Double> optDouble(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode n = root.get(key);
    if (!n.isNumber()) {
      throw error(key, "expected a number, got " + n);
    }
    return Optional.of(n.asDouble());
  }

  public Optional<Boolean> optBoolean(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode n = root.get(key);
    if (!n.isBoolean()) {
      throw error(key, "expected true or false, got " + n);
    }
    return Optional.of(n.asBoolean());
  }
}
