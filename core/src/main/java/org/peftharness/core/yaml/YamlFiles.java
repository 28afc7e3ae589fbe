package org.peftharness.core.yaml;

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
 * The files come from users and from shared folders, so parsing is bounded: at most 1 Mi code
 * points, {@value #MAX_DEPTH} levels of nesting (the composer recurses once per level), no duplicate
 * keys, and at most {@value #MAX_NODES} nodes after aliases are expanded (a few nested aliases
 * otherwise expand to billions of nodes).
 */
public final class YamlFiles {
  static final int MAX_DEPTH = 64;
  static final int MAX_NODES = 100_000;

  private YamlFiles() {}

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
      return convert(root.get(), source, new int[] {MAX_NODES});
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

  private static YNode convert(Node n, String source, int[] budget) {
    if (--budget[0] < 0) {
      throw new InvalidInputException(source, line(n), null, "more than " + MAX_NODES + " values once aliases are expanded");
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
          throw new InvalidInputException(source, line(k), k.getValue(), "given twice (first at line " + first + ")");
        }
        entries.put(k.getValue(), convert(t.getValueNode(), source, budget));
      }
      return new YNode.YMap(entries, source, line(n));
    }
    if (n instanceof SequenceNode s) {
      List<YNode> items = new ArrayList<>();
      for (Node item : s.getValue()) {
        items.add(convert(item, source, budget));
      }
      return new YNode.YList(items, source, line(n));
    }
    ScalarNode s = (ScalarNode) n;
    String tag = s.getTag().getValue();
    String shortTag = tag.substring(tag.lastIndexOf(':') + 1);
    return new YNode.YScalar(s.getValue(), shortTag, source, line(n));
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
