package org.peftharness.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.grid.EvalSection;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.TextTokenizer;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.tasks.prompt.EncoderInput;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.Prediction;
import org.peftharness.tasks.spec.TaskKind;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.train.Batch;
import org.peftharness.train.SequenceClassifier;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * GLUE-style tasks on an encoder: a classification or regression head sized for the training
 * task, sentence or sentence-pair inputs; an evaluated task has the training task's labels (MNLI
 * trains once for its matched and mismatched sets).
 */
final class EncoderTaskRun implements TaskRun {
  private final TrainSettings st;
  private final PretrainedModel model;
  private final SequenceClassifier<TFloat32> head;
  private final int labels;
  private final List<int[]> trainIds = new ArrayList<>();
  private final List<int[]> trainTypes = new ArrayList<>();
  private int[] trainLabels;
  private float[] trainScores;
  private String trainingHash;

  @SuppressWarnings("unchecked")
  EncoderTaskRun(GraphModel<TFloat32> graph, PretrainedModel model, TaskSpec task, TrainSettings st, SeedStreams seeds) {
    this.st = st;
    this.model = model;
    this.labels = task.kind() == TaskKind.REGRESSION ? 1 : task.numLabels();
    this.head = SequenceClassifier.attach((EncoderModel<TFloat32>) graph, model.weights(), labels, seeds,
        model.config().initializerRange(), model.config().classifierDropout());
  }

  @Override
  public void prepareTraining(List<Example> train, PromptTemplate template) {
    TextTokenizer tok = model.tokenizer();
    trainLabels = new int[train.size()];
    trainScores = new float[train.size()];
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      EncoderInput in = template.encoderInput(train.get(i));
      encode(tok, in, maxLength(), trainIds, trainTypes);
      if (labels == 1) {
        trainScores[i] = (float) train.get(i).gold().score();
      } else {
        trainLabels[i] = train.get(i).gold().label();
      }
      texts.add(in.text());
      texts.add(in.textPair() == null ? "" : in.textPair());
      texts.add(labels == 1 ? Double.toString(train.get(i).gold().score()) : Integer.toString(train.get(i).gold().label()));
    }
    trainingHash = TrainingCellExecutor.hash(texts);
  }

  @Override
  public String trainingHash() {
    return trainingHash;
  }

  private int maxLength() {
    return Math.min(st.train().maxLength(), model.config().maxPositions() - 2);
  }

  /** Tokenises and cuts to {@code max} tokens, keeping the final separator as transformers' truncation does. */
  private static void encode(TextTokenizer tok, EncoderInput in, int max, List<int[]> ids, List<int[]> types) {
    TextTokenizer.Encoded e = tok.encode(in.text(), in.textPair());
    int[] i = e.ids();
    int[] t = e.typeIds();
    if (i.length > max) {
      int last = i[i.length - 1];
      i = TrainingCellExecutor.truncate(i, max);
      t = TrainingCellExecutor.truncate(t, max);
      i[max - 1] = last;
    }
    ids.add(i);
    types.add(t);
  }

  @Override
  public int trainSize() {
    return trainIds.size();
  }

  @Override
  public Operand<TFloat32> loss() {
    return head.loss();
  }

  @Override
  public Batch trainBatch(List<Integer> idx) {
    List<int[]> ids = new ArrayList<>();
    List<int[]> types = new ArrayList<>();
    int[] l = new int[idx.size()];
    float[] s = new float[idx.size()];
    for (int k = 0; k < idx.size(); k++) {
      ids.add(trainIds.get(idx.get(k)));
      types.add(trainTypes.get(idx.get(k)));
      l[k] = trainLabels[idx.get(k)];
      s[k] = trainScores[idx.get(k)];
    }
    return labels == 1 ? head.batch(ids, types, null, s) : head.batch(ids, types, l, null);
  }

  @Override
  public int batchSize() {
    return st.train().batchSize();
  }

  @Override
  public Map<String, Variable<TFloat32>> headVariables(boolean full) {
    return full ? head.variables() : head.trainedWithAdapter();
  }

  @Override
  public List<String> freshHeadWeights() {
    String prefix = model.config().architecture().peftModulePrefix();
    return head.freshlyInitialised().stream().map(k -> ClassifierHead.taskModelKey(k, prefix)).toList();
  }

  /** Every head tensor, the pooler included: BertForSequenceClassification counts it as the model's. */
  @Override
  public long headParameterCount() {
    return head.parameterCount();
  }

  @Override
  public Predicted predict(TaskSpec task, List<Example> eval, EvalSection settings, JsonLines generations) {
    TextTokenizer tok = model.tokenizer();
    List<int[]> evalIds = new ArrayList<>();
    List<int[]> evalTypes = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Example e : eval) {
      EncoderInput in = task.prompt().eval().encoderInput(e);
      encode(tok, in, maxLength(), evalIds, evalTypes);
      texts.add(in.text());
      texts.add(in.textPair() == null ? "" : in.textPair());
      texts.add(labels == 1 ? Double.toString(e.gold().score()) : Integer.toString(e.gold().label()));
    }
    Prediction[] out = new Prediction[eval.size()];
    int bs = settings.batchSize();
    for (int from = 0; from < eval.size(); from += bs) {
      int to = Math.min(eval.size(), from + bs);
      FloatTensor logits = head.predict(head.batch(evalIds.subList(from, to), evalTypes.subList(from, to), null, null));
      for (int i = from; i < to; i++) {
        int row = i - from;
        var node = JsonLines.object().put("index", eval.get(i).index());
        var arr = node.putArray("logits");
        int best = 0;
        for (int c = 0; c < labels; c++) {
          float v = logits.data()[row * labels + c];
          arr.add(v);
          if (v > logits.data()[row * labels + best]) {
            best = c;
          }
        }
        if (labels == 1) {
          out[i] = Prediction.score(eval.get(i).index(), logits.data()[row]);
          node.put("score", logits.data()[row]);
        } else {
          out[i] = Prediction.label(eval.get(i).index(), best);
          node.put("label", best);
        }
        if (generations != null) {
          generations.write(node);
        }
      }
    }
    return new Predicted(out, TrainingCellExecutor.hash(texts));
  }
}
