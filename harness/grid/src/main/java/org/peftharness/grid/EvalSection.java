package org.peftharness.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftharness.tasks.prompt.PromptTemplate;

/** A cell's {@code eval:} settings, typed; each component is one {@link Setting} below, in the same order. */
public record EvalSection(int batchSize, int maxNewTokens, int limit, String template) {
  /** The {@code template} value that keeps the task's own evaluation prompt. */
  public static final String TASK_TEMPLATE = "task";

  public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch_size", 32, 1, "examples per evaluation batch");
  public static final Setting<Integer> MAX_NEW_TOKENS =
      Setting.integer("max_new_tokens", 256, 1, "generation tasks: token limit per answer");
  public static final Setting<Integer> LIMIT = Setting.integer("limit", 0, 0, "evaluate only the first N examples; 0 = all");
  public static final Setting<String> TEMPLATE = Setting.name("template", TASK_TEMPLATE, templates(),
      "generation tasks: the prompt template evaluated with ('task' = the task's own; a paper's, e.g. alpaca-cot)");

  public static final Section SECTION = new Section("eval", List.of(BATCH_SIZE, MAX_NEW_TOKENS, LIMIT, TEMPLATE));

  /** The typed view of a resolved {@code eval:} section. */
  public static EvalSection of(Map<String, ?> resolved) {
    return new EvalSection(BATCH_SIZE.in(resolved), MAX_NEW_TOKENS.in(resolved), LIMIT.in(resolved), TEMPLATE.in(resolved));
  }

  private static List<String> templates() {
    List<String> out = new ArrayList<>(List.of(TASK_TEMPLATE));
    PromptTemplate.NAMES.stream().filter(n -> !n.equals("encoder")).forEach(out::add);
    return out;
  }
}
