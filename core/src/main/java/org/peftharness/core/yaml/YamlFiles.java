package org.peftharness.core.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.InvalidInputException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/** Parses YAML text into {@link YNode}s with line numbers (snakeyaml-engine's composer keeps marks). */
public final class YamlFiles {
  private YamlFiles() {}

  public static YNode parse(String text, String source) {
    LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).setCodePointLimit(1 << 20).build();
    try {
      Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      Optional<Node> root = composer.getSingleNode();
      if (root.isEmpty()) {
        throw new InvalidInputException(source, 0, null, "empty YAML file");
      }
      return convert(root.get(), source);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new InvalidInputException(source, line, null, "not valid YAML: " + e.getProblem());
    } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
      throw new InvalidInputException(source, 0, null, "not valid YAML: " + e.getMessage());
    }
  }

  private static int line(Node n) {
    return n.getStartMark().map(Mark::getLine).orElse(-1) + 1;
  }

  private static YNode convert(Node n, String source) {
    if (n instanceof MappingNode m) {
      Map<String, YNode> entries = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          throw new InvalidInputException(source, line(t.getKeyNode()), null, "keys must be plain strings");
        }
        entries.put(k.getValue(), convert(t.getValueNode(), source));
      }
      return new YNode.YMap(entries, source, line(n));
    }
    if (n instanceof SequenceNode s) {
      List<YNode> items = new ArrayList<>();
      for (Node item : s.getValue()) {
        items.add(convert(item, source));
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
