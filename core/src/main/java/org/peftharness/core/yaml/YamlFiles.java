package org.peftharness.core.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.InvalidInputException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Parses YAML text into {@link YNode}s with line numbers (snakeyaml-engine's composer keeps marks).
 * The files come from users and from shared folders, so reading and parsing are bounded: files of
 * at most {@value #MAX_BYTES} bytes (read no further, so a huge file or a device costs nothing), at
 * most 1 Mi code points, {@value #MAX_DEPTH} levels of nesting (the composer recurses once per
 * level), no duplicate keys (YAML 1.2 §3.2.1.1: keys are unique), and at most {@value #MAX_NODES}
 * nodes after aliases are expanded (45 aliases nested three deep expand to over a hundred million
 * nodes, far under snakeyaml-engine's alias count cap).
 */
public final class YamlFiles {
  static final int MAX_DEPTH = 64;
  static final int MAX_NODES = 100_000;
  static final int MAX_BYTES = 1 << 20; // 1 MiB: the largest shipped grid or baseline file is under 10 KiB

  private YamlFiles() {}

  /**
   * The text of a user's YAML file ({@code what}: "grid file", "baseline file"), as strict UTF-8; a
   * missing, oversized, unreadable or non-UTF-8 file is an input error naming it.
   */
  public static String read(Path file, String what) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, null, what + " not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read the " + what + ": " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw new InvalidInputException(file, null, "a " + what + " is at most 1 MiB; this one is larger (is it the right file?)");
    }
    return utf8(bytes, file);
  }

  private static String utf8(byte[] bytes, Path file) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new InvalidInputException(file, line, null, "not UTF-8 text (byte " + in.position() + ")");
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  public static YNode parse(String text, String source) {
    LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).setCodePointLimit(1 << 20)
        .setMaxAliasesForCollections(50).build();
    try {
      checkDepth(settings, text, source);
      Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      Optional<Node> root = composer.getSingleNode();
      if (root.isEmpty()) {
        throw new InvalidInputException(source, 0, null, "empty YAML file");
      }
      return convert(root.get(), "", source, new int[] {MAX_NODES});
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new InvalidInputException(source, line, null, "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new InvalidInputException(source, 0, null, "not valid YAML: " + e.getMessage());
    }
  }

  private static int line(Node n) {
    return n.getStartMark().map(Mark::getLine).orElse(-1) + 1;
  }

  /** Walks the parser's events (no recursion) so a deeply nested file fails before the composer recurses. */
  private static void checkDepth(LoadSettings settings, String text, String source) {
    ParserImpl events = new ParserImpl(settings, new StreamReader(settings, text));
    int depth = 0;
    while (events.hasNext()) {
      Event e = events.next();
      if (e instanceof CollectionStartEvent) {
        if (++depth > MAX_DEPTH) {
          throw new InvalidInputException(source, e.getStartMark().map(m -> m.getLine() + 1).orElse(0), null,
              "nested more than " + MAX_DEPTH + " levels deep");
        }
      } else if (e instanceof CollectionEndEvent) {
        depth--;
      }
    }
  }

  /** {@code path}: the node's dotted path ({@code methods[1].ranks}), as errors name fields. */
  private static YNode convert(Node n, String path, String source, int[] budget) {
    if (--budget[0] < 0) {
      throw new InvalidInputException(source, line(n), path.isEmpty() ? null : path,
          "more than " + MAX_NODES + " values once aliases are expanded");
    }
    if (n instanceof MappingNode m) {
      Map<String, YNode> entries = new LinkedHashMap<>();
      Map<String, Integer> keyLines = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          throw new InvalidInputException(source, line(t.getKeyNode()), null, "keys must be plain strings");
        }
        Integer first = keyLines.putIfAbsent(k.getValue(), line(k));
        if (first != null) {
          // the composer keeps both; without this check the later one would win silently
          throw new InvalidInputException(source, line(k), field(path, k.getValue()),
              "given twice (first at line " + first + ")");
        }
        entries.put(k.getValue(), convert(t.getValueNode(), field(path, k.getValue()), source, budget));
      }
      return new YNode.YMap(entries, source, line(n));
    }
    if (n instanceof SequenceNode s) {
      List<YNode> items = new ArrayList<>();
      for (Node item : s.getValue()) {
        items.add(convert(item, path + "[" + items.size() + "]", source, budget));
      }
      return new YNode.YList(items, source, line(n));
    }
    ScalarNode s = (ScalarNode) n;
    String tag = s.getTag().getValue();
    String shortTag = tag.substring(tag.lastIndexOf(':') + 1);
    return new YNode.YScalar(s.getValue(), shortTag, source, line(n));
  }

  private static String field(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** {@code include:} semantics: maps merge key by key, the including file wins; lists and scalars are replaced. */
  public static YNode.YMap merge(YNode.YMap base, YNode.YMap over) {
    Map<String, YNode> out = new LinkedHashMap<>(base.entries());
    for (Map.Entry<String, YNode> e : over.entries().entrySet()) {
      YNode prev = out.get(e.getKey());
      if (prev instanceof YNode.YMap pm && e.getValue() instanceof YNode.YMap om) {
        out.put(e.getKey(), merge(pm, om));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return new YNode.YMap(out, over.source(), over.line());
  }
}
