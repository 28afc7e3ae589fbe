package org.peftharness.core.tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;

/**
 * The weights of a Hugging Face model folder: one {@code model.safetensors}, or shards listed in
 * {@code model.safetensors.index.json}, or (for hand-made folders) every {@code *.safetensors}
 * file. Tensor names map to the file holding them; a name in two files is an error.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
  public static final String SINGLE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";

  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> byName;

  private SafetensorsCheckpoint(List<SafetensorsFile> files, Map<String, SafetensorsFile> byName) {
    this.files = files;
    this.byName = byName;
  }

  public static SafetensorsCheckpoint open(Path dir) {
    if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".safetensors")) {
      return fromFiles(List.of(dir));
    }
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      return fromIndex(index);
    }
    Path single = dir.resolve(SINGLE);
    if (Files.isRegularFile(single)) {
      return fromFiles(List.of(single));
    }
    List<Path> all;
    try (Stream<Path> s = Files.list(dir)) {
      all = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
    } catch (IOException e) {
      throw new InvalidInputException(dir, null, "cannot list the model folder: " + e.getMessage());
    }
    if (all.isEmpty()) {
      throw new InvalidInputException(dir, null, "no " + SINGLE + ", " + INDEX + " or *.safetensors file");
    }
    return fromFiles(all);
  }

  private static SafetensorsCheckpoint fromFiles(List<Path> paths) {
    List<SafetensorsFile> files = new ArrayList<>();
    Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
    try {
      for (Path p : paths) {
        SafetensorsFile f = SafetensorsFile.open(p);
        files.add(f);
        for (String name : f.names()) {
          SafetensorsFile prior = byName.putIfAbsent(name, f);
          if (prior != null) {
            throw new InvalidInputException(p, "tensor '" + name + "'", "also present in " + prior.path());
          }
        }
      }
    } catch (RuntimeException e) {
      files.forEach(SafetensorsFile::close);
      throw e;
    }
    return new SafetensorsCheckpoint(files, byName);
  }

  private static SafetensorsCheckpoint fromIndex(Path index) {
    JsonNode root;
    try {
      root = JsonDocument.MAPPER.readTree(Files.readString(index));
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidInputException(index.toString(), line, null, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException(index, null, "cannot read: " + e.getMessage());
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new InvalidInputException(index, "weight_map", "missing or empty");
    }
    Map<String, Path> shardOf = new LinkedHashMap<>();
    map.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new InvalidInputException(index, "weight_map." + e.getKey(), "must be a file name");
      }
      Path shard = index.resolveSibling(e.getValue().asText()).normalize();
      if (!shard.getParent().equals(index.toAbsolutePath().getParent().normalize())
          && !shard.getParent().equals(index.getParent().normalize())) {
        throw new InvalidInputException(index, "weight_map." + e.getKey(), "shard must lie in the model folder");
      }
      shardOf.put(e.getKey(), shard);
    });
    List<Path> shards = shardOf.values().stream().distinct().toList();
    SafetensorsCheckpoint ckpt = fromFiles(shards);
    for (Map.Entry<String, Path> e : shardOf.entrySet()) {
      SafetensorsFile f = ckpt.byName.get(e.getKey());
      if (f == null || !f.path().equals(e.getValue())) {
        ckpt.close();
        throw new InvalidInputException(index, "weight_map." + e.getKey(),
            "tensor is not in " + e.getValue().getFileName());
      }
    }
    return ckpt;
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(byName.keySet());
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  public SafetensorsFile.Entry entry(String name) {
    return file(name).entry(name);
  }

  public FloatTensor readFloat(String name) {
    return file(name).readFloat(name);
  }

  private SafetensorsFile file(String name) {
    SafetensorsFile f = byName.get(name);
    if (f == null) {
      Path where = files.isEmpty() ? null : files.get(0).path().getParent();
      throw new InvalidInputException(where, "tensor '" + name + "'", "not found in the checkpoint");
    }
    return f;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
