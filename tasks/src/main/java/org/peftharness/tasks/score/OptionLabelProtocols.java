package org.peftharness.tasks.score;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Commonsense answer rules over a task's option labels (true/false, solution1/2, answer1..5,
 * ending1..4, option1/2).
 */
public final class OptionLabelProtocols {
  private OptionLabelProtocols() {}

  /**
   * LLM-Adapters {@code commonsense_evaluate.py extract_answer}: {@code re.findall} of the labels
   * as a plain alternation on the stripped output, case-sensitive, first hit. There are no word
   * boundaries, so "answer10" reads as answer1 and "solution12" as solution1; that is the
   * reference rule, kept on purpose (PiSSA and LoRA-SB use the same scheme).
   */
  public static Protocol llmAdapters(List<String> labels) {
    Pattern p = Pattern.compile(labels.stream().map(Pattern::quote).collect(Collectors.joining("|")));
    return new Gsm8kProtocols.Simple("llm-adapters-options", 1, "LLM-Adapters commonsense_evaluate.py: first occurrence of any option label, no word boundaries") {
      @Override
      public Verdict judge(String output, String gold) {
        Matcher m = p.matcher(output.strip());
        if (!m.find()) {
          return Verdict.noAnswer();
        }
        return new Verdict(m.group().equals(gold), m.group());
      }
    };
  }

  /**
   * The same rule with the label required to stand as a word of its own: "answer10" is no
   * answer at all rather than answer1. Reported beside {@link #llmAdapters} to show whether the
   * reference rule's leniency changes a result.
   */
  public static Protocol wordBounded(List<String> labels) {
    Pattern p =
        Pattern.compile(
            "(?<![A-Za-z0-9_])(" + labels.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")(?![A-Za-z0-9_])");
    return new Gsm8kProtocols.Simple("option-label-strict", 1, "first option label that stands as a whole word, case-sensitive") {
      @Override
      public Verdict judge(String output, String gold) {
        Matcher m = p.matcher(output);
        if (!m.find()) {
          return Verdict.noAnswer();
        }
        return new Verdict(m.group(1).equals(gold), m.group(1));
      }
    };
  }
}
