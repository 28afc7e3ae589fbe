package org.peftharness.tasks.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.tasks.prompt.Prompt;
import org.peftharness.tasks.read.Example;

/**
 * The training text each template builds for a fixed record of each set, read from a file in the
 * set's original format, equals byte for byte what the reference code builds (before its EOS). The
 * expected strings are written out from the reference code, each with its source.
 */
class TrainingPromptsTest {
  /** A GSM-derived MetaMathQA record in MetaMathQA-395K.json's layout (LoRA-GA keeps only GSM types). */
  static final String METAMATH_JSON = """
      [
          {
              "query": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
              "response": "Natalia sold 48/2 = 24 clips in May.\\nNatalia sold 48+24 = 72 clips altogether in April and May.\\n#### 72\\nThe answer is: 72",
              "type": "GSM_AnsAug",
              "original_question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?"
          }
      ]
      """;

  /** A commonsense_170k.json BoolQ record, and one with an input to cover that branch of the prompt. */
  static final String COMMONSENSE_JSON = """
      [
          {
              "instruction": "Please answer the following question with true or false, question: do iran and afghanistan speak the same language?\\n\\nAnswer format: true/false",
              "input": "",
              "output": "the correct answer is true",
              "answer": "true"
          },
          {
              "instruction": "Solve the equation.",
              "input": "2x + 3 = 7",
              "output": "x = 2",
              "answer": "2"
          }
      ]
      """;

  @TempDir static Path dir;
  static Example metamath;
  static Example boolq;
  static Example withInput;

  @BeforeAll
  static void readTheFiles() throws IOException {
    TrainingSetRegistry sets = TrainingSetRegistry.builtin();
    Path mm = dir.resolve("MetaMathQA-395K.json");
    Files.writeString(mm, METAMATH_JSON);
    metamath = sets.get("metamathqa").reader().read(mm).get(0);
    Path cs = dir.resolve("commonsense_170k.json");
    Files.writeString(cs, COMMONSENSE_JSON);
    List<Example> commonsense = sets.get("commonsense_170k").reader().read(cs);
    boolq = commonsense.get(0);
    withInput = commonsense.get(1);
  }

  private static Prompt render(String set, String template, Example e) {
    return TrainingSetRegistry.builtin().get(set).template(template, "test", 0).render(e);
  }

  @Test
  void loraSbMetaMathIsAlpacaWithTheResponseRightAfterTheHeader() {
    // CERT-Lab/lora-sb 4feb81c utils/data_utils.py L21-25 (PROMPT) and L209-213: sources =
    // PROMPT.format_map(instruction=query), targets = f"{output}{tokenizer.eos_token}"
    Prompt p = render("metamathqa", "alpaca", metamath);
    assertThat(p.prompt()).isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n"
            + "\n"
            + "### Instruction:\n"
            + "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?\n"
            + "\n"
            + "### Response:");
    assertThat(p.target()).isEqualTo("Natalia sold 48/2 = 24 clips in May.\n"
            + "Natalia sold 48+24 = 72 clips altogether in April and May.\n"
            + "#### 72\n"
            + "The answer is: 72");
    assertThat(TrainingSetRegistry.builtin().get("metamathqa").template(null, "test", 0).name()).isEqualTo("alpaca");
  }

  @Test
  void pissaMetaMathEndsTheResponseWithANewline() {
    // GraphPKU/PiSSA 87f4db6 train.py L21-25 (PROMPT) and L150-154: targets =
    // f"{output}\n{tokenizer.eos_token}"
    Prompt p = render("metamathqa", "pissa-metamath", metamath);
    assertThat(p.prompt()).isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n"
            + "\n"
            + "### Instruction:\n"
            + "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?\n"
            + "\n"
            + "### Response:");
    assertThat(p.target()).isEqualTo("Natalia sold 48/2 = 24 clips in May.\n"
            + "Natalia sold 48+24 = 72 clips altogether in April and May.\n"
            + "#### 72\n"
            + "The answer is: 72\n");
  }

  @Test
  void loraGaMetaMathIsQuestionAnswerWithoutTheAnswerLine() {
    // Outsider565/LoRA-GA 89af7de examples/data.py L343-347: x = f'Q: {data["query"]}\nA: ',
    // y = data["response"].split("\nThe answer is:")[0]; examples/utils.py L53-60: x + " " + y + eos,
    // labels masked over the tokens of x (L70-89)
    Prompt p = render("metamathqa", "loraga-metamath", metamath);
    assertThat(p.prompt()).isEqualTo("Q: Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?\n"
            + "A: ");
    assertThat(p.prompt() + p.target()).isEqualTo("Q: Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?\n"
            + "A:  Natalia sold 48/2 = 24 clips in May.\n"
            + "Natalia sold 48+24 = 72 clips altogether in April and May.\n"
            + "#### 72");
  }

  @Test
  void llmAdaptersFinetuneKeepsItsIndentAndTrailingSpaces() {
    // AGI-Edgerunners/LLM-Adapters 8166572 finetune.py L323-343 generate_prompt; the prompt is the
    // "user prompt" generate_prompt({**data_point, "output": ""}) of L185
    Prompt p = render("commonsense_170k", null, boolq);
    assertThat(p.prompt()).isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.  \n"
            + "\n"
            + "                ### Instruction:\n"
            + "                Please answer the following question with true or false, question: do iran and afghanistan speak the same language?\n"
            + "\n"
            + "Answer format: true/false\n"
            + "                \n"
            + "                ### Response:\n"
            + "                ");
    assertThat(p.target()).isEqualTo("the correct answer is true");
    assertThat(render("commonsense_170k", "llm-adapters-train", withInput).prompt())
        .isEqualTo("Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request. \n"
            + "\n"
            + "                ### Instruction:\n"
            + "                Solve the equation.\n"
            + "                \n"
            + "                ### Input:\n"
            + "                2x + 3 = 7\n"
            + "                \n"
            + "                ### Response:\n"
            + "                ");
  }

  @Test
  void loraSbCommonsenseTrainsWithItsOwnIndent() {
    // CERT-Lab/lora-sb 4feb81c utils/data_utils.py L257-277 generate_prompt_cr; prompt = the
    // user prompt with output "" (L312-316)
    Prompt p = render("commonsense_170k", "llm-adapters-lorasb-train", boolq);
    assertThat(p.prompt()).isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n"
            + "\n"
            + "            ### Instruction:\n"
            + "            Please answer the following question with true or false, question: do iran and afghanistan speak the same language?\n"
            + "\n"
            + "Answer format: true/false\n"
            + "\n"
            + "            ### Response:\n"
            + "            ");
    assertThat(p.target()).isEqualTo("the correct answer is true");
    assertThat(render("commonsense_170k", "llm-adapters-lorasb-train", withInput).prompt())
        .isEqualTo("Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n"
            + "\n"
            + "            ### Instruction:\n"
            + "            Solve the equation.\n"
            + "\n"
            + "            ### Input:\n"
            + "            2x + 3 = 7\n"
            + "\n"
            + "            ### Response:\n"
            + "            ");
  }

  @Test
  void theUnindentedLayoutIsLoraSbsCommonsenseEvaluationPrompt() {
    // CERT-Lab/lora-sb 4feb81c instruction_tuning_eval/commonsense_eval.py L49-69 generate_prompt
    assertThat(render("commonsense_170k", "llm-adapters", boolq).prompt()).isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n"
            + "\n"
            + "### Instruction:\n"
            + "Please answer the following question with true or false, question: do iran and afghanistan speak the same language?\n"
            + "\n"
            + "Answer format: true/false\n"
            + "\n"
            + "### Response:\n");
  }

  @Test
  void metaMathKeepsTheRecordTypeForLoraGasGsmFilter() {
    assertThat(metamath.input("type")).isEqualTo("GSM_AnsAug");
    assertThat(metamath.gold().answer()).isEqualTo("72");
    assertThat(boolq.gold().answer()).isEqualTo("true");
    assertThat(withInput.gold().answer()).isEqualTo("2");
  }
}
