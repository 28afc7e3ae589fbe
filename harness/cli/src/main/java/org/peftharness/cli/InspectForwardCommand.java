package org.peftharness.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.peftharness.core.ExitCode;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.model.ForwardProbe;
import org.peftharness.model.PretrainedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harness inspect forward}: one forward pass printed as JSON, for parity checks with other frameworks. */
@Command(name = "forward",
    description = "Run one forward pass and print a JSON object: input_ids, token_type_ids (encoders), "
        + "and hidden (tokens x hidden, last hidden state) or logits (tokens x vocab, decoders).")
final class InspectForwardCommand extends BaseCommand {

  @Option(names = "--model", required = true, paramLabel = "DIR|minilm",
      description = "A Hugging Face model folder (config.json, *.safetensors, tokenizer.json) or 'minilm'.")
  String model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  InputChoice input;

  static final class InputChoice {
    @ArgGroup(exclusive = false)
    TextInput text;

    @Option(names = "--ids", split = ",", paramLabel = "ID", description = "Token ids, used as given (no special tokens added).")
    int[] ids;
  }

  static final class TextInput {
    @Option(names = "--text", required = true, description = "Text to tokenize with the model's tokenizer.")
    String text;

    @Option(names = "--pair", description = "Second text of a sentence pair (encoders).")
    String pair;
  }

  @Option(names = "--output", paramLabel = "hidden|logits",
      description = "What to print; default: hidden for encoders, logits for decoders.")
  String output;

  @Override
  protected ExitCode execute() throws IOException {
    try (PretrainedModel m = PretrainedModel.open(model)) {
      ForwardProbe.Output what = output == null
          ? (ForwardProbe.isEncoder(m) ? ForwardProbe.Output.HIDDEN : ForwardProbe.Output.LOGITS)
          : parseOutput(output);
      ForwardProbe.Input in = input.ids != null
          ? ForwardProbe.ids(m, input.ids)
          : ForwardProbe.tokenize(m, input.text.text, input.text.pair);
      print(ForwardProbe.run(m, in, what), out());
    }
    return ExitCode.OK;
  }

  private static ForwardProbe.Output parseOutput(String s) {
    try {
      return ForwardProbe.Output.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new org.peftharness.core.InvalidInputException("argument --output", 0, null,
          "'" + s + "' is not one of: hidden, logits");
    }
  }

  private static void print(ForwardProbe.Result r, PrintWriter out) throws IOException {
    try (JsonGenerator g = JsonDocument.MAPPER.getFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeFieldName("input_ids");
      g.writeArray(r.inputIds(), 0, r.inputIds().length);
      if (r.tokenTypeIds() != null) {
        g.writeFieldName("token_type_ids");
        g.writeArray(r.tokenTypeIds(), 0, r.tokenTypeIds().length);
      }
      g.writeFieldName(r.output() == ForwardProbe.Output.HIDDEN ? "hidden" : "logits");
      FloatTensor v = r.values();
      int rows = (int) v.dim(0);
      int cols = (int) v.dim(1);
      g.writeStartArray();
      for (int i = 0; i < rows; i++) {
        g.writeStartArray();
        for (int j = 0; j < cols; j++) {
          g.writeNumber(v.data()[i * cols + j]);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.println();
  }
}
