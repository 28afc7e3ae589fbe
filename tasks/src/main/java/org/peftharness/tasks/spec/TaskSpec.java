package org.peftharness.tasks.spec;

import java.util.List;
import java.util.Map;
import org.peftharness.tasks.read.ExampleReader;
import org.peftharness.tasks.score.Protocol;

/**
 * A task as declared in its YAML file, resolved ({@code include:} merged, names checked).
 *
 * @param files data files relative to the data directory, by split
 * @param labelNames class names in label-index order (classification), else empty
 * @param protocols answer-extraction protocols (generation), else empty
 * @param generator non-null when the project generates the files
 * @param source the resource the spec was read from (for provenance)
 */
public record TaskSpec(
    String name,
    int version,
    String description,
    TaskKind kind,
    String readerName,
    ExampleReader reader,
    Map<Split, String> files,
    PromptSpec prompt,
    List<String> labelNames,
    List<Protocol> protocols,
    List<MetricSpec> metrics,
    GeneratorSpec generator,
    String source) {

  public TaskSpec {
    files = Map.copyOf(files);
    labelNames = List.copyOf(labelNames);
    protocols = List.copyOf(protocols);
    metrics = List.copyOf(metrics);
  }

  public int numLabels() {
    return labelNames.size();
  }

  public String file(Split split) {
    return files.get(split);
  }
}
