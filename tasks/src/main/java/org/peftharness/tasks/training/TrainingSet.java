package org.peftharness.tasks.training;

import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.ExampleReader;

/**
 * A named training mix in its original public format (MetaMathQA's JSON, LLM-Adapters'
 * {@code commonsense_170k.json}), trained on once and evaluated on several tasks.
 *
 * @param name the name a grid uses ({@code train_on: {set: metamathqa}})
 * @param version bumped whenever what the set yields for the same file changes (reader, templates)
 * @param description one line for listings
 * @param readerName the reader's name ({@code metamath-json}, {@code llm-adapters-json})
 * @param reader reads the file in its original format
 * @param file the file, relative to the data directory
 * @param instructionField the example input that fills a template's instruction slot
 * @param defaultTemplate the template used when a grid names none
 * @param templates every template the set may be rendered with (the papers' own)
 * @param source where the file comes from (repository or hub, path, commit)
 */
public record TrainingSet(
    String name,
    int version,
    String description,
    String readerName,
    ExampleReader reader,
    String file,
    String instructionField,
    String defaultTemplate,
    List<String> templates,
    String source) {

  public TrainingSet {
    templates = List.copyOf(templates);
  }

  /**
   * The template the training examples are rendered with.
   *
   * @param nameOrNull a grid's {@code template:}, or null for {@link #defaultTemplate}
   * @param source the grid file, for the error
   * @param line the line of {@code template:} in it
   */
  public PromptTemplate template(String nameOrNull, String source, int line) {
    String chosen = nameOrNull == null ? defaultTemplate : nameOrNull;
    if (!templates.contains(chosen)) {
      throw new InvalidInputException(source, line, "template",
          "training set '" + name + "' is not rendered with template '" + chosen + "'; its templates: "
              + String.join(", ", templates));
    }
    return PromptTemplate.of(chosen, instructionField, source, line);
  }

  /** Where the file is under {@code dataDir}. */
  public Path path(Path dataDir) {
    return dataDir.resolve(file);
  }
}
