package org.peftharness.tasks.prompt;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.read.Example;

/**
 * The prompt formats of the reference code, by name. The exact bytes matter (a space or an
 * indentation changes the tokens), so each is spelled out here once and tested.
 */
public final class PromptTemplate {
  /** Alpaca's no-input header, as in MetaMath / PiSSA / LoRA-SB {@code train_arithmetic.py}. */
  static final String ALPACA_HEADER =
      "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

  static final String ALPACA_INPUT_HEADER =
      "Below is an instruction that describes a task, paired with an input that provides further context. "
          + "Write a response that appropriately completes the request.\n\n";

  /**
   * Indentation the LoRA-SB commonsense training prompt carries inside its f-string
   * ({@code utils/data_utils.py} L257-277 at CERT-Lab/lora-sb 4feb81c: twelve spaces before every
   * non-blank template line after the first; blank lines stay empty). Its evaluation prompt
   * ({@code instruction_tuning_eval/commonsense_eval.py} L49-69) has none.
   */
  public static final String LORASB_TRAIN_INDENT = " ".repeat(12);

  public static final List<String> NAMES =
      List.of("alpaca", "alpaca-cot", "llm-adapters", "llm-adapters-lorasb-train", "encoder");

  private final String name;
  private final String instructionField;

  private PromptTemplate(String name, String instructionField) {
    this.name = name;
    this.instructionField = instructionField;
  }

  /**
   * @param name one of {@link #NAMES}
   * @param instructionField the example input that fills the template's instruction slot
   *     ({@code question} for GSM8K, {@code problem} for MATH, {@code query} for MetaMathQA,
   *     {@code instruction} for LLM-Adapters); ignored by {@code encoder}
   */
  public static PromptTemplate of(String name, String instructionField, String source, int line) {
    if (!NAMES.contains(name)) {
      throw new InvalidInputException(source, line, "template", "unknown prompt template '" + name + "'; known: " + NAMES);
    }
    return new PromptTemplate(name, Objects.requireNonNullElse(instructionField, "instruction"));
  }

  public String name() {
    return name;
  }

  public boolean isEncoder() {
    return name.equals("encoder");
  }

  /** The prompt and training target for a decoder. */
  public Prompt render(Example ex) {
    String target = ex.target();
    switch (name) {
      case "alpaca":
        // MetaMath train.py / LoRA-SB train_arithmetic.py: the response follows "### Response:"
        return new Prompt(ALPACA_HEADER + "### Instruction:\n" + ex.input(instructionField) + "\n\n### Response:", target);
      case "alpaca-cot":
        // MetaMath eval_gsm8k.py / eval_math.py (used by PiSSA and LoRA-SB for evaluation)
        return new Prompt(
            ALPACA_HEADER + "### Instruction:\n" + ex.input(instructionField) + "\n\n### Response: Let's think step by step.", target);
      case "llm-adapters":
        return new Prompt(llmAdapters(ex, ""), target);
      case "llm-adapters-lorasb-train":
        return new Prompt(llmAdapters(ex, LORASB_TRAIN_INDENT), target);
      default:
        throw new IllegalStateException("template " + name + " is for encoders; use encoderInput");
    }
  }

  /** LLM-Adapters {@code generate_prompt}: the output follows "### Response:\n" (plus the indent). */
  private String llmAdapters(Example ex, String indent) {
    String input = ex.inputs().getOrDefault("input", "");
    StringBuilder sb = new StringBuilder();
    sb.append(input.isEmpty() ? ALPACA_HEADER : ALPACA_INPUT_HEADER);
    sb.append(indent).append("### Instruction:\n").append(indent).append(ex.input(instructionField)).append("\n\n");
    if (!input.isEmpty()) {
      sb.append(indent).append("### Input:\n").append(indent).append(input).append("\n\n");
    }
    sb.append(indent).append("### Response:\n").append(indent);
    return sb.toString();
  }

  /** Sentence or sentence pair, for an encoder with a classification or regression head. */
  public EncoderInput encoderInput(Example ex) {
    Map<String, String> in = ex.inputs();
    return new EncoderInput(ex.input("text"), in.get("text_pair"));
  }
}
