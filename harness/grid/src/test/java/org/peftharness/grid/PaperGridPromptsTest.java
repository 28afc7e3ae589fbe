package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.tasks.prompt.Prompt;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.training.TrainingSetRegistry;

/**
 * What each paper grid feeds its model, resolved the way a cell resolves it (the cell's
 * configuration through {@link TrainingSource}, the evaluation's {@code eval.template}): for a fixed
 * MetaMathQA record and a fixed commonsense_170k record, read from files in their original format,
 * the training prompt and target equal byte for byte what each paper's code builds; so do the GSM8K
 * evaluation prompts. Expected strings are written from the reference code, cited on each.
 */
class PaperGridPromptsTest {
  static final String QUERY = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
      + "How many clips did Natalia sell altogether in April and May?";
  static final String RESPONSE = "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n"
      + "#### 72\nThe answer is: 72";
  static final String BOOLQ = "Please answer the following question with true or false, question: do iran and afghanistan speak "
      + "the same language?\n\nAnswer format: true/false";
  static final String HEADER =
      "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

  @TempDir Path dir;

  private Example metaMath() throws IOException {
    Path f = dir.resolve("MetaMathQA-395K.json");
    Files.writeString(f, "[{\"query\": " + json(QUERY) + ", \"response\": " + json(RESPONSE)
        + ", \"type\": \"GSM_AnsAug\", \"original_question\": " + json(QUERY) + "}]");
    return TrainingSetRegistry.builtin().get("metamathqa").reader().read(f).get(0);
  }

  private Example commonsense() throws IOException {
    Path f = dir.resolve("commonsense_170k.json");
    Files.writeString(f, "[{\"instruction\": " + json(BOOLQ) + ", \"input\": \"\", \"output\": \"the correct answer is true\", "
        + "\"answer\": \"true\"}]");
    return TrainingSetRegistry.builtin().get("commonsense_170k").reader().read(f).get(0);
  }

  private static String json(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }

  /** The training rendering of the grid's first trained cell (the first method that is not {@code none}). */
  private static Prompt training(String grid, Example e) throws IOException {
    GridPlan plan = ShippedGridsTest.paperGrid(grid);
    Cell cell = plan.cells().stream().filter(c -> !c.method().equals("none")).findFirst().orElseThrow();
    plan.cells().forEach(c -> assertThat(c.config().get("train_on")).isEqualTo(cell.config().get("train_on")));
    return TrainingSource.of(cell.config(), TaskRegistry.builtin()).template().render(e);
  }

  /** The prompt a grid's cells evaluate GSM8K with, for GSM8K's first test question. */
  @SuppressWarnings("unchecked")
  private static String gsm8kPrompt(String grid) throws IOException {
    Cell cell = ShippedGridsTest.paperGrid(grid).cells().get(0);
    Evaluation e = cell.evaluations().stream().filter(x -> x.task().equals("gsm8k")).findFirst().orElseThrow();
    String name = EvalSection.of((Map<String, Object>) e.config().get("eval")).template();
    PromptTemplate own = TaskRegistry.builtin().get("gsm8k").prompt().eval();
    PromptTemplate t = name.equals(EvalSection.TASK_TEMPLATE) ? own : own.renamed(name, "test", 0);
    Example q = new Example(0, 1, Map.of("question", "Janet has 3 apples. How many?"), null, Example.Gold.answer("3"));
    return t.render(q).prompt();
  }

  @Test
  void loraSbMathTrainsOnMetaMathQaWithTheAlpacaPromptAndEvaluatesStepByStep() throws IOException {
    // CERT-Lab/lora-sb 4feb81c utils/data_utils.py L21-25 (PROMPT) and L209-213: the response
    // follows "### Response:" directly; EOS is appended by the caller
    Prompt p = training("paper-lora-sb-math.yaml", metaMath());
    assertThat(p.prompt()).isEqualTo(HEADER + "### Instruction:\n" + QUERY + "\n\n### Response:");
    assertThat(p.target()).isEqualTo(RESPONSE);
    // instruction_tuning_eval/gsm8k_eval.py L84-88
    assertThat(gsm8kPrompt("paper-lora-sb-math.yaml"))
        .isEqualTo(HEADER + "### Instruction:\nJanet has 3 apples. How many?\n\n### Response: Let's think step by step.");
  }

  @Test
  void pissaTrainsOnMetaMathQaAsThePapersScriptsDid() throws IOException {
    // GraphPKU/PiSSA e3d5127 pissa.py L31-35, L154-155: the Alpaca prompt, the response then EOS
    Prompt p = training("paper-pissa-gsm8k.yaml", metaMath());
    assertThat(p.prompt() + p.target()).isEqualTo(HEADER + "### Instruction:\n" + QUERY + "\n\n### Response:" + RESPONSE);
    // PiSSA 86d7944 inference/data/eval_gsm8k: the step-by-step Alpaca prompt
    assertThat(gsm8kPrompt("paper-pissa-gsm8k.yaml"))
        .isEqualTo(HEADER + "### Instruction:\nJanet has 3 apples. How many?\n\n### Response: Let's think step by step.");
  }

  @Test
  void loraGaTrainsOnQuestionAnswerPairsCutBeforeTheAnswerLine() throws IOException {
    // Outsider565/LoRA-GA 89af7de examples/data.py L343-347 and examples/utils.py L53-60:
    // x = f'Q: {query}\nA: ', y = response.split("\nThe answer is:")[0], text = x + " " + y
    Prompt p = training("paper-lora-ga-gsm8k.yaml", metaMath());
    assertThat(p.prompt() + p.target()).isEqualTo("Q: " + QUERY + "\nA:  Natalia sold 48/2 = 24 clips in May.\n"
        + "Natalia sold 48+24 = 72 clips altogether in April and May.\n#### 72");
    // examples/data.py L224-235: GSM8K is asked the same way
    assertThat(gsm8kPrompt("paper-lora-ga-gsm8k.yaml")).isEqualTo("Q: Janet has 3 apples. How many?\nA: ");
  }

  @Test
  void theCommonsenseGridTrainsWithLoraSbsIndentedPrompt() throws IOException {
    // CERT-Lab/lora-sb 4feb81c utils/data_utils.py L257-277 generate_prompt_cr (twelve spaces inside
    // the f-string before each non-blank line after the first)
    Prompt p = training("paper-commonsense.yaml", commonsense());
    assertThat(p.prompt()).isEqualTo(HEADER + "            ### Instruction:\n            " + BOOLQ + "\n\n            ### Response:\n            ");
    assertThat(p.target()).isEqualTo("the correct answer is true");
  }
}
