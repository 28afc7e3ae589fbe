package org.peftharness.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftharness.model.Precision;
import org.peftharness.tasks.prompt.PromptTemplate;

/** A cell's {@code eval:} settings, typed; each component is one {@link Setting} below, in the same order. */
public record EvalSection(int batchSize, int maxNewTokens, int limit, String template, String precision) {
  /** The {@code template} value that keeps the task's own evaluation prompt. */
  public static final String TASK_TEMPLATE = "task";

  public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch_size", 32, 1, "examples per evaluation batch");
  public static final Setting<Integer> MAX_NEW_TOKENS =
      Setting.integer("max_new_tokens", 256, 1, "generation tasks: token limit per answer");
  public static final Setting<Integer> LIMIT = Setting.integer("limit", 0, 0, "evaluate only the first N examples; 0 = all");
  public static final Setting<String> TEMPLATE = Setting.name("template", TASK_TEMPLATE, templates(),
      "generation tasks: the prompt template evaluated with ('task' = the task's own; a paper's, e.g. alpaca-cot)");

  /** The {@code precision} value that evaluates in the cell's {@code train.precision}. */
  public static final String AS_TRAINED = "as_trained";
  public static final Setting<String> PRECISION = Setting.name("precision", AS_TRAINED,
      List.of(AS_TRAINED, Precision.FP32.label(), Precision.BF16.label()),
      "number format evaluated in: as_trained (train.precision, which also applies to cells that train nothing), fp32 or bf16")
      .hashedOnlyWhenSet();

  public static final Section SECTION = new Section("eval", List.of(BATCH_SIZE, MAX_NEW_TOKENS, LIMIT, TEMPLATE, PRECISION));

  /** The typed view of a resolved {@code eval:} section. */
  public static EvalSection of(Map<String, ?> resolved) {
    return new EvalSection(BATCH_SIZE.in(resolved), MAX_NEW_TOKENS.in(resolved), LIMIT.in(resolved), TEMPLATE.in(resolved),
        PRECISION.in(resolved));
  }

  /** The precision evaluations run in, given the cell's training settings. */
  public Precision precision(TrainSection train) {
    return precision.equals(AS_TRAINED) ? train.precision() : Precision.valueOf(precision.toUpperCase(Locale.ROOT));
  }

  private static List<String> templates() {
    List<String> out = new ArrayList<>(List.of(TASK_TEMPLATE));
    PromptTemplate.NAMES.stream().filter(n -> !n.equals("encoder")).forEach(out::add);
    return out;
  }
}
