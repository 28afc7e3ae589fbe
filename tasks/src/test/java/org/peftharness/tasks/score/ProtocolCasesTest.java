package org.peftharness.tasks.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Extraction cases per protocol with the verdict each reference rule gives. Several rows pin a
 * reference quirk on purpose (marked "quirk"): the point is to reproduce, not to fix, a rule.
 * Columns: protocol | output | gold | correct | extracted ("" = no answer found). In outputs,
 * "\n" is written as the two characters and replaced before judging.
 */
class ProtocolCasesTest {
  private static final List<String> ANSWERS = List.of("answer1", "answer2", "answer3", "answer4", "answer5");
  private static final List<String> SOLUTIONS = List.of("solution1", "solution2");
  private static final List<String> BOOL = List.of("true", "false");

  @ParameterizedTest(name = "{0}: ''{1}'' vs {2} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      # ---- GSM8K: lm-eval strict-match ----
      strict | so she pays 72\\n#### 72 | 72 | true | 72
      strict | #### -5 | -5 | true | -5
      strict | #### 1,234 | 1234 | true | 1,234
      strict | #### 72. | 72 | true | 72.
      strict | #### 18 dollars | 18 | true | 18
      strict | #### 3.50 | 3.5 | false | 3.50
      strict | #### 5 and later #### 7 | 7 | false | 5
      strict | The answer is 7 | 7 | false | ``
      # ---- GSM8K: lm-eval flexible-extract (last number-like token) ----
      flexible | The total is 1,234 dollars. | 1234 | true | 1,234
      flexible | she has -3 apples left | -3 | true | -3
      flexible | it weighs 3.5 kg | 3.5 | true | 3.5
      flexible | #### 5 and later #### 7 | 7 | true | 7
      flexible | no digits here | 7 | false | ``
      # ---- GSM8K: LLM-Adapters (last number, |diff| <= 1e-3) ----
      llm-adapters | The answer is 1,234.0 | 1234 | true | 1234.0
      llm-adapters | about -3.0004 degrees | -3 | true | -3.0004
      llm-adapters | 2.002 | 2 | false | 2.002
      llm-adapters | 10 kg in total | 10 | true | 10
      llm-adapters | 5 then 6 | 5 | false | 6
      llm-adapters | none | 5 | false | ``
      # ---- GSM8K: LoRA-GA (first ####\\s*(\\d+)) ----
      loraga | #### 72 | 72 | true | 72
      loraga | ####72 | 72 | true | 72
      loraga | #### -5 | -5 | false | ``
      loraga | #### 1,234 | 1234 | false | 1
      loraga | #### 3.5 | 3 | true | 3
      loraga | #### 5 and later #### 7 | 7 | false | 5
      loraga | The answer is: 7 | 7 | false | ``
      # ---- GSM8K: PiSSA (after the last 'The answer is: ', rounded half to even) ----
      pissa | The answer is: 72 | 72 | true | 72
      pissa | The answer is: 1,234 | 1234 | true | 1234
      pissa | The answer is: 2.5 | 2 | true | 2
      pissa | The answer is: 3.5 | 4 | true | 4
      pissa | The answer is: 7/2 | 4 | true | 4
      pissa | The answer is: -6 | -6 | true | -6
      pissa | The answer is: 5\\nThe answer is: 6 | 6 | true | 6
      pissa | The answer is: $18 per day | 18 | true | 18
      pissa | #### 72 | 72 | false | ``
      pissa | The answer is: 0.72 | 72 | false | 1
      # ---- GSM8K: LoRA-SB (PiSSA's match, or math_equal incl. x100 / /100 within rel. 1e-4) ----
      lorasb-answer-is | The answer is: 0.72 | 72 | true | 0.72
      lorasb-answer-is | The answer is: 7200 | 72 | true | 7200
      lorasb-answer-is | The answer is: 1000.05 | 1000 | true | 1000.05
      lorasb-answer-is | The answer is: 73 | 72 | false | 73
      lorasb-answer-is | #### 72 | 72 | false | ``
      # ---- MATH: Hendrycks boxed + is_equiv ----
      boxed | so $\\boxed{\\frac{1}{2}}$. | \\frac{1}{2} | true | \\frac{1}{2}
      boxed | $\\boxed{\\dfrac{1}{2}}$ | \\frac12 | true | \\dfrac{1}{2}
      boxed | $\\boxed{0.5}$ | \\frac12 | true | 0.5
      boxed | $\\boxed{.5}$ | \\frac{1}{2} | true | .5
      boxed | $\\boxed{0.25}$ | \\frac{1}{4} | false | 0.25
      boxed | $\\boxed{10\\%}$ | 10 | true | 10\\%
      boxed | $\\boxed{5 \\text{ cm}}$ | 5 | true | 5 \\text{ cm}
      boxed | $\\boxed{x = 3}$ | 3 | true | x = 3
      boxed | $\\boxed{\\left( 3, 4 \\right)}$ | (3,4) | true | \\left( 3, 4 \\right)
      boxed | $\\boxed{3/4}$ | \\frac{3}{4} | true | 3/4
      boxed | $\\boxed{90^\\circ}$ | 90 | true | 90^\\circ
      boxed | first \\boxed{2}, finally \\boxed{3} | 3 | true | 3
      boxed | $\\boxed{\\sqrt2}$ | \\sqrt{2} | true | \\sqrt2
      boxed | the answer is 3 | 3 | false | ``
      boxed | $\\boxed{\\frac{1}{2}$ | \\frac{1}{2} | false | ``
      boxed-numeric | $\\boxed{0.25}$ | \\frac{1}{4} | true | 0.25
      boxed-numeric | $\\boxed{-\\frac{3}{4}}$ | -0.75 | true | -\\frac{3}{4}
      boxed-numeric | $\\boxed{1,000}$ | 1000 | true | 1,000
      boxed-numeric | $\\boxed{0.33}$ | \\frac{1}{3} | false | 0.33
      pissa-math | The answer is: \\frac{1}{2}.\\n | \\frac12 | true | \\frac{1}{2}
      pissa-math | The answer is: 0.5 | \\frac{1}{2} | true | 0.5
      pissa-math | \\boxed{3} | 3 | false | ``
      """)
  void fixedProtocols(String protocol, String output, String gold, boolean correct, String extracted) {
    Protocol p = Protocols.create(protocol, List.of(), "test", 0);
    Verdict v = p.judge(unescape(output), unescape(gold));
    assertThat(v.correct()).as("correct").isEqualTo(correct);
    assertThat(v.extracted()).as("extracted").isEqualTo(extracted.isEmpty() ? null : unescape(extracted));
  }

  @ParameterizedTest(name = "{0}/{1}: ''{2}'' vs {3} -> {4}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      llm-adapters-options | answers | the correct answer is answer2 | answer2 | true | answer2
      llm-adapters-options | answers | the correct answer is answer10 | answer1 | true | answer1
      option-label-strict | answers | the correct answer is answer10 | answer1 | false | ``
      llm-adapters-options | solutions | solution12 | solution1 | true | solution1
      option-label-strict | solutions | solution12 | solution1 | false | ``
      option-label-strict | solutions | I pick solution2. | solution2 | true | solution2
      llm-adapters-options | answers | Answer2 | answer2 | false | ``
      llm-adapters-options | answers | answer3 or answer2 | answer2 | false | answer3
      llm-adapters-options | bool | the correct answer is true | true | true | true
      llm-adapters-options | bool | false, not true | true | false | false
      llm-adapters-options | bool | that is untrue | false | false | true
      option-label-strict | bool | that is untrue | false | false | ``
      llm-adapters-options | bool | I don't know | true | false | ``
      """)
  void optionLabelProtocols(String protocol, String labelSet, String output, String gold, boolean correct, String extracted) {
    List<String> labels = switch (labelSet) {
      case "answers" -> ANSWERS;
      case "solutions" -> SOLUTIONS;
      default -> BOOL;
    };
    Verdict v = Protocols.create(protocol, labels, "test", 0).judge(output, gold);
    assertThat(v.correct()).as("correct").isEqualTo(correct);
    assertThat(v.extracted()).as("extracted").isEqualTo(extracted.isEmpty() ? null : extracted);
  }

  /** CSV rows hold "\\n" and "\\\\" as escapes so that each case fits on one line. */
  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == 'n') {
          sb.append('\n');
          i++;
          continue;
        }
        if (n == '\\') {
          sb.append('\\');
          i++;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
