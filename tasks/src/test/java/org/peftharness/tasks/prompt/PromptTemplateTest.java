package org.peftharness.tasks.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.TaskRegistry;

class PromptTemplateTest {
  private static Example ex(Map<String, String> inputs, String target) {
    return new Example(0, 1, inputs, target, Example.Gold.answer("x"));
  }

  @Test
  void alpacaForArithmetic() {
    Example e = ex(Map.of("question", "What is 3 + 4?"), "3 + 4 = 7\n#### 7");
    Prompt p = TaskRegistry.builtin().get("synthetic-arith").prompt().train().render(e);
    assertThat(p.prompt())
        .isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nWhat is 3 + 4?\n\n### Response:");
    assertThat(p.target()).isEqualTo("3 + 4 = 7\n#### 7");
    assertThat(PromptTemplate.of("alpaca-cot", "question", "t", 0).render(e).prompt())
        .endsWith("### Response: Let's think step by step.");
  }

  @Test
  void llmAdaptersEvalAndTheIndentedLoraSbTrainVariant() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("instruction", "Q?\n\nAnswer format: true/false");
    in.put("input", "");
    Example e = ex(in, "the correct answer is true");
    PromptTemplate eval = TaskRegistry.builtin().get("boolq").prompt().eval();
    assertThat(eval.render(e).prompt())
        .isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nQ?\n\nAnswer format: true/false\n\n### Response:\n");
    String ind = PromptTemplate.LORASB_TRAIN_INDENT;
    assertThat(PromptTemplate.of("llm-adapters-lorasb-train", "instruction", "t", 0).render(e).prompt())
        .isEqualTo("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
            + ind + "### Instruction:\n" + ind + "Q?\n\nAnswer format: true/false\n\n" + ind + "### Response:\n" + ind);
  }

  @Test
  void glueIsTextAndTextPair() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("text", "a");
    in.put("text_pair", "b");
    Example e = new Example(0, 2, in, null, Example.Gold.label(1));
    assertThat(TaskRegistry.builtin().get("rte").prompt().eval().encoderInput(e)).isEqualTo(new EncoderInput("a", "b"));
    Example single = new Example(0, 2, Map.of("text", "a"), null, Example.Gold.label(1));
    assertThat(TaskRegistry.builtin().get("sst2").prompt().eval().encoderInput(single)).isEqualTo(new EncoderInput("a", null));
  }
}
