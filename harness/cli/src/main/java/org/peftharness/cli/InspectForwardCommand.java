package org.peftharness.cli;

import java.io.IOException;
import org.peftharness.core.ExitCode;
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
          : ForwardProbe.Output.parse(output);
      ForwardProbe.Input in = input.ids != null
          ? ForwardProbe.ids(m, input.ids)
          : ForwardProbe.tokenize(m, input.text.text, input.text.pair);
      ForwardProbe.run(m, in, what).writeJson(out());
      out().println();
    }
    return ExitCode.OK;
  }
}
