package org.peftharness.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.types.TFloat32;

/** One forward pass of a pretrained model on one input, for checking numerics against another framework. */
public final class ForwardProbe {
  public enum Output {
    HIDDEN, LOGITS;

    public static Output parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("argument --output", 0, null, "'" + s + "' is not one of: hidden, logits");
      }
    }
  }

  /** The input as token ids, with token type ids for encoders (null for decoders). */
  public record Input(int[] ids, int[] typeIds) {}

  public record Result(String model, int[] inputIds, int[] tokenTypeIds, Output output, FloatTensor values) {
    /** The result as one JSON object (no newline after it), the form {@code inspect forward} prints. */
    public void writeJson(Writer out) throws IOException {
      try (JsonGenerator g = JsonDocument.MAPPER.getFactory().createGenerator(out)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("model", model);
        g.writeFieldName("input_ids");
        g.writeArray(inputIds, 0, inputIds.length);
        if (tokenTypeIds != null) {
          g.writeFieldName("token_type_ids");
          g.writeArray(tokenTypeIds, 0, tokenTypeIds.length);
        }
        g.writeFieldName(output == Output.HIDDEN ? "hidden" : "logits");
        int rows = (int) values.dim(0);
        int cols = (int) values.dim(1);
        g.writeStartArray();
        for (int i = 0; i < rows; i++) {
          g.writeStartArray();
          for (int j = 0; j < cols; j++) {
            g.writeNumber(values.data()[i * cols + j]);
          }
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
    }
  }

  private ForwardProbe() {}

  public static Input tokenize(PretrainedModel model, String text, String pair) {
    boolean encoder = isEncoder(model);
    if (pair != null && !encoder) {
      throw new InvalidInputException("argument --pair", 0, null, "text pairs are for encoders; "
          + model.name() + " is a " + model.config().modelType() + " decoder");
    }
    TextTokenizer.Encoded e = model.tokenizer().encode(text, pair);
    return new Input(e.ids(), encoder ? e.typeIds() : null);
  }

  public static Input ids(PretrainedModel model, int[] ids) {
    int vocab = model.config().vocabSize();
    for (int id : ids) {
      if (id < 0 || id >= vocab) {
        throw new InvalidInputException("argument --ids", 0, null,
            "token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
      }
    }
    return new Input(ids, isEncoder(model) ? new int[ids.length] : null);
  }

  /** Encoders take token type ids and return hidden states; causal LMs return logits. */
  public static boolean isEncoder(PretrainedModel model) {
    return model.config().architecture().headKind() == HeadKind.SEQUENCE_CLASSIFICATION;
  }

  public static Result run(PretrainedModel model, Input input, Output output) {
    if (input.ids().length == 0) {
      throw new InvalidInputException("argument --ids", 0, null, "no tokens to run");
    }
    boolean encoder = isEncoder(model);
    if (input.ids().length > model.config().maxPositions() && encoder) {
      throw new InvalidInputException("argument --text", 0, null, input.ids().length
          + " tokens exceed the model's " + model.config().maxPositions() + " positions");
    }
    if (encoder && output == Output.LOGITS) {
      throw new InvalidInputException("argument --output", 0, null,
          "an encoder has no language-model head; use --output hidden");
    }
    int[] mask = new int[input.ids().length];
    Arrays.fill(mask, 1);
    try (GraphModel<TFloat32> graph = model.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      FloatTensor values;
      if (encoder) {
        values = ((EncoderModel<TFloat32>) graph).forward(new int[][] {input.ids()}, new int[][] {input.typeIds()}, new int[][] {mask});
      } else {
        DecoderModel<TFloat32> d = (DecoderModel<TFloat32>) graph;
        values = output == Output.LOGITS
            ? d.forward(new int[][] {input.ids()}, new int[][] {mask})
            : d.forwardHidden(new int[][] {input.ids()}, new int[][] {mask});
      }
      long[] s = values.shape();
      return new Result(model.name(), input.ids(), input.typeIds(), output, values.reshape(s[1], s[2]));
    }
  }
}
