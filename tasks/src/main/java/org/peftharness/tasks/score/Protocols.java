package org.peftharness.tasks.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;

/** Finds a generation protocol by the name a task file uses. */
public final class Protocols {
  private Protocols() {}

  private static final Map<String, Protocol> FIXED = fixed();

  private static Map<String, Protocol> fixed() {
    Map<String, Protocol> m = new TreeMap<>();
    for (Protocol p : Gsm8kProtocols.all()) {
      m.put(p.name(), p);
    }
    for (Protocol p : MathProtocols.all()) {
      m.put(p.name(), p);
    }
    return m;
  }

  /** Names of protocols that need the task's option labels. */
  private static final List<String> OPTION_LABEL_PROTOCOLS = List.of("llm-adapters-options", "option-label-strict");

  /**
   * @param name the protocol name in the task file; the commonsense rules are {@code
   *     llm-adapters-options} and {@code option-label-strict}
   * @param optionLabels the task's option labels (only used by the commonsense rules)
   */
  public static Protocol create(String name, List<String> optionLabels, String source, int line) {
    Protocol p = FIXED.get(name);
    if (p != null) {
      return p;
    }
    if (OPTION_LABEL_PROTOCOLS.contains(name)) {
      if (optionLabels.isEmpty()) {
        throw new InvalidInputException(source, line, "option_labels", "protocol " + name + " needs the task's option_labels");
      }
      return name.equals("option-label-strict")
          ? OptionLabelProtocols.wordBounded(optionLabels)
          : OptionLabelProtocols.llmAdapters(optionLabels);
    }
    throw new InvalidInputException(source, line, "protocol", "unknown protocol '" + name + "'; known: " + names());
  }

  public static List<String> names() {
    List<String> all = new ArrayList<>(FIXED.keySet());
    all.addAll(OPTION_LABEL_PROTOCOLS);
    return all;
  }
}
