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
  /**
   * Alpaca's no-input header, as in MetaMath / PiSSA {@code train.py} L21-25 / LoRA-SB
   * {@code utils/data_utils.py} L21-25.
   */
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

  /**
   * Indentation of LLM-Adapters' own training prompt ({@code finetune.py} L323-343 at
   * AGI-Edgerunners/LLM-Adapters 8166572): sixteen spaces before every template line after the
   * header's blank line, the blank lines between sections included.
   */
  public static final String LLM_ADAPTERS_TRAIN_INDENT = " ".repeat(16);

  /** What MetaMathQA responses end with; LoRA-GA trains on the text before it. */
  static final String METAMATH_ANSWER_LINE = "\nThe answer is:";

  public static final List<String> NAMES =
      List.of("alpaca", "alpaca-cot", "pissa-metamath", "loraga-metamath", "llm-adapters", "llm-adapters-train",
          "llm-adapters-lorasb-train", "encoder");

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

  /**
   * The template {@code other}, filling its instruction slot from this one's input field: a grid
   * evaluating a task with a paper's prompt (GSM8K through {@code alpaca-cot}) keeps the task's field.
   */
  public PromptTemplate renamed(String other, String source, int line) {
    return of(other, instructionField, source, line);
  }

  public boolean isEncoder() {
    return name.equals("encoder");
  }

  /**
   * The prompt and training target for a decoder: the reference code's training text is exactly
   * {@code prompt + target} (the caller appends EOS), and its loss mask covers the prompt.
   */
  public Prompt render(Example ex) {
    String target = ex.target();
    return switch (name) {
      // LoRA-SB utils/data_utils.py L21-25, L209-213 (train_arithmetic.py); MetaMath train.py; the
      // response follows "### Response:" directly. PiSSA's pissa.py did the same until May 2024
      // (e3d5127 L31-35, L154-155, the scripts of the paper's first version).
      case "alpaca" -> new Prompt(ALPACA_HEADER + "### Instruction:\n" + ex.input(instructionField) + "\n\n### Response:", target);
      // MetaMath eval_gsm8k.py / eval_math.py, LoRA-SB instruction_tuning_eval/gsm8k_eval.py L84-88,
      // MATH_eval.py L65-69, PiSSA inference/data/eval_gsm8k (86d7944): evaluation prompts.
      case "alpaca-cot" -> new Prompt(
          ALPACA_HEADER + "### Instruction:\n" + ex.input(instructionField) + "\n\n### Response: Let's think step by step.", target);
      // PiSSA train.py L21-25, L150-154 (GraphPKU/PiSSA 87f4db6): the Alpaca prompt, then the
      // response and a newline before EOS (f"{output}\n{tokenizer.eos_token}", so since 86d7944,
      // Nov 2024; the July 2024 pissa.py appended a literal "<|EOT|>" string instead).
      case "pissa-metamath" -> new Prompt(
          ALPACA_HEADER + "### Instruction:\n" + ex.input(instructionField) + "\n\n### Response:", suffixed(target, "\n"));
      // LoRA-GA examples/data.py L343-347 (x = "Q: {query}\nA: ", y = the response cut before its
      // "\nThe answer is:" line) and examples/utils.py L53-60 (text = x + " " + y + EOS, loss masked
      // over x's tokens) at Outsider565/LoRA-GA 89af7de; reproduce/data.py L253-257 and
      // reproduce/utils.py L35-42 are the same.
      case "loraga-metamath" -> new Prompt("Q: " + ex.input(instructionField) + "\nA: ",
          target == null ? null : " " + beforeAnswerLine(target));
      // LoRA-SB's commonsense evaluation prompt (instruction_tuning_eval/commonsense_eval.py L49-69):
      // LLM-Adapters' layout without its indentation and trailing spaces.
      case "llm-adapters" -> new Prompt(llmAdapters(ex, ""), target);
      // LLM-Adapters finetune.py L323-343 (AGI-Edgerunners/LLM-Adapters 8166572), the commonsense_170k
      // and math_10k training prompt of the LLM-Adapters protocol.
      case "llm-adapters-train" -> new Prompt(llmAdaptersFinetune(ex), target);
      // LoRA-SB utils/data_utils.py L257-277: the commonsense training prompt with its own indent.
      case "llm-adapters-lorasb-train" -> new Prompt(llmAdapters(ex, LORASB_TRAIN_INDENT), target);
      default -> throw new IllegalStateException("template " + name + " is for encoders; use encoderInput");
    };
  }

  /** The reference output with what the reference code writes after it; none stays none. */
  private static String suffixed(String target, String suffix) {
    return target == null ? null : target + suffix;
  }

  /** Python's {@code response.split("\nThe answer is:")[0]}: all of it when the line is missing. */
  private static String beforeAnswerLine(String response) {
    int at = response.indexOf(METAMATH_ANSWER_LINE);
    return at < 0 ? response : response.substring(0, at);
  }

  /**
   * The LLM-Adapters layout as LoRA-SB writes it (commonsense_eval.py L49-69 without an indent,
   * data_utils.py L257-277 with one): no trailing spaces, blank lines empty; the output follows
   * "### Response:\n" and the indent.
   */
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

  /**
   * LLM-Adapters {@code finetune.py} {@code generate_prompt} L323-343, byte for byte: the header
   * line ends in two spaces (one when there is an input), then an empty line, then every line,
   * blank ones included, carries {@link #LLM_ADAPTERS_TRAIN_INDENT}. With the output left empty
   * it is the "user prompt" L185 masks when {@code train_on_inputs} is off.
   */
  private String llmAdaptersFinetune(Example ex) {
    String input = ex.inputs().getOrDefault("input", "");
    String i = LLM_ADAPTERS_TRAIN_INDENT;
    StringBuilder sb = new StringBuilder();
    sb.append(input.isEmpty()
        ? "Below is an instruction that describes a task. Write a response that appropriately completes the request.  \n\n"
        : "Below is an instruction that describes a task, paired with an input that provides further context. "
            + "Write a response that appropriately completes the request. \n\n");
    sb.append(i).append("### Instruction:\n").append(i).append(ex.input(instructionField)).append('\n').append(i).append('\n');
    if (!input.isEmpty()) {
      sb.append(i).append("### Input:\n").append(i).append(input).append('\n').append(i).append('\n');
    }
    sb.append(i).append("### Response:\n").append(i);
    return sb.toString();
  }

  /** Sentence or sentence pair, for an encoder with a classification or regression head. */
  public EncoderInput encoderInput(Example ex) {
    Map<String, String> in = ex.inputs();
    return new EncoderInput(ex.input("text"), in.get("text_pair"));
  }
}
