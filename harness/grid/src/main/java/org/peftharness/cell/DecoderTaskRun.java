package org.peftharness.cell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftharness.grid.EvalSection;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.TextTokenizer;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.tasks.prompt.Prompt;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.Prediction;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.train.Batch;
import org.peftharness.train.CausalLmLoss;
import org.peftharness.train.GreedyGenerator;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Generation tasks on a decoder: causal-LM loss on prompt + response (prompt masked unless
 * {@code train_on_inputs}), EOS appended to the response; evaluation by greedy decoding with the
 * key/value cache, stopping at EOS, the template's next section header, or the token limit.
 */
final class DecoderTaskRun implements TaskRun {
  static final List<String> STOP = List.of("### Instruction", "### Response", "### Input");

  private final DecoderModel<TFloat32> graph;
  private final TrainSettings st;
  private final PretrainedModel model;
  private final CausalLmLoss<TFloat32> lm;
  private final List<int[]> prompts = new ArrayList<>();
  private final List<int[]> responses = new ArrayList<>();
  private String trainingHash;

  @SuppressWarnings("unchecked")
  DecoderTaskRun(GraphModel<TFloat32> graph, PretrainedModel model, TrainSettings st) {
    this.graph = (DecoderModel<TFloat32>) graph;
    this.st = st;
    this.model = model;
    this.lm = new CausalLmLoss<>(this.graph);
  }

  @Override
  public void prepareTraining(List<Example> train, PromptTemplate template) {
    TextTokenizer tok = model.tokenizer();
    int max = st.train().maxLength();
    int eos = model.config().eosTokenId();
    List<String> hashed = new ArrayList<>();
    for (Example e : train) {
      Prompt p = template.render(e);
      hashed.add(p.prompt());
      hashed.add(p.target() == null ? "" : p.target());
      int[] prompt = tok.encode(p.prompt()).ids();
      int[] target = tok.encodePlain(p.target());
      int[] response = Arrays.copyOf(target, target.length + (eos >= 0 ? 1 : 0));
      if (eos >= 0) {
        response[target.length] = eos;
      }
      if (prompt.length >= max) {
        prompt = TrainingCellExecutor.truncate(prompt, max - 1);
      }
      prompts.add(prompt);
      responses.add(TrainingCellExecutor.truncate(response, max - prompt.length));
    }
    trainingHash = TrainingCellExecutor.hash(hashed);
  }

  @Override
  public String trainingHash() {
    return trainingHash;
  }

  @Override
  public int trainSize() {
    return prompts.size();
  }

  @Override
  public Operand<TFloat32> loss() {
    return lm.loss();
  }

  @Override
  public Batch trainBatch(List<Integer> idx) {
    List<int[]> p = new ArrayList<>();
    List<int[]> r = new ArrayList<>();
    idx.forEach(i -> {
      p.add(prompts.get(i));
      r.add(responses.get(i));
    });
    return lm.batch(p, r, st.train().trainOnInputs());
  }

  @Override
  public int batchSize() {
    return st.train().batchSize();
  }

  @Override
  public Map<String, Variable<TFloat32>> headVariables(boolean full) {
    return Map.of();
  }

  @Override
  public List<String> freshHeadWeights() {
    return List.of();
  }

  @Override
  public long headParameterCount() {
    return 0;
  }

  @Override
  public Predicted predict(TaskSpec task, List<Example> eval, EvalSection settings, JsonLines generations) {
    PromptTemplate template = settings.template().equals(EvalSection.TASK_TEMPLATE) ? task.prompt().eval()
        : task.prompt().eval().renamed(settings.template(), "eval.template", 0);
    List<String> evalPrompts = new ArrayList<>();
    List<String> hashed = new ArrayList<>();
    for (Example e : eval) {
      Prompt p = template.render(e);
      evalPrompts.add(p.prompt());
      hashed.add(p.prompt());
      hashed.add(e.gold().hasAnswer() ? e.gold().answer() : "");
    }
    int eos = model.config().eosTokenId();
    int pad = model.config().padTokenId() >= 0 ? model.config().padTokenId() : Math.max(eos, 0);
    GreedyGenerator.Options o = new GreedyGenerator.Options(settings.maxNewTokens(), STOP, eos, pad, true);
    Prediction[] out = new Prediction[eval.size()];
    int bs = settings.batchSize();
    for (int from = 0; from < eval.size(); from += bs) {
      int to = Math.min(eval.size(), from + bs);
      List<GreedyGenerator.Generation> gens =
          GreedyGenerator.generateText(graph, model.tokenizer(), evalPrompts.subList(from, to), o);
      for (int i = from; i < to; i++) {
        GreedyGenerator.Generation g = gens.get(i - from);
        out[i] = Prediction.output(eval.get(i).index(), g.text());
        if (generations != null) {
          generations.write(JsonLines.object().put("index", eval.get(i).index()).put("output", g.text())
              .put("finish", g.reason().toString().toLowerCase(Locale.ROOT)));
        }
      }
    }
    return new Predicted(out, TrainingCellExecutor.hash(hashed));
  }
}
