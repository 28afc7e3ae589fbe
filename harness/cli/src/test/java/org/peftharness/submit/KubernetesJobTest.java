package org.peftharness.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1Job;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.cli.Main;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellSelection;
import org.peftharness.grid.Evaluation;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * The Indexed Job manifest: valid for the Kubernetes API (checked with its own generated
 * validators), and every completion index, its arguments expanded the way the kubelet does, runs
 * exactly the cells of its group when the real {@code harness run} parses them.
 */
class KubernetesJobTest {
  static final Path WORKDIR = Path.of("/home/me/project");
  static final List<Cell> PLAN = IntStream.range(0, 10)
      .mapToObj(i -> new Cell(i, "id" + i, "minilm", "lora", 4, "synthetic-sentiment", i, Map.of(), "{}",
          List.of(new Evaluation(0, "eval" + i, "synthetic-sentiment", Map.of(), "{}")))).toList();
  static final KubernetesJob.Options OPTIONS = new KubernetesJob.Options("registry.example.org/harness:1", "ml", 1, null, 4,
      "32Gi", "harness-workspace", "/workspace", 2);

  /** The plan's cells at {@code positions}, unfinished, in groups of {@code perTask}. */
  static Submission submission(int perTask, int... positions) {
    List<Cell> cells = IntStream.of(positions).mapToObj(PLAN::get).toList();
    return new Submission("My Grid_v2", WORKDIR.resolve("grids/g.yaml"), WORKDIR.resolve("runs/g"), WORKDIR.resolve("data"),
        null, "0123456789abcdef", cells, perTask, false, PLAN.size());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }

  /** The manifest's YAML as the API server would receive it (kubectl sends JSON) checked by the API's own models. */
  static void validate(String yaml) throws Exception {
    String json = new ObjectMapper().writeValueAsString(parse(yaml));
    V1Job.validateJsonElement(JsonParser.parseString(json));
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object node, Object... path) {
    Object n = node;
    for (Object p : path) {
      n = p instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get(p);
    }
    return (T) n;
  }

  static Map<String, Object> container(Map<String, Object> job) {
    return at(job, "spec", "template", "spec", "containers", 0);
  }

  /**
   * What the kubelet does to a container's arguments: {@code $(NAME)} becomes the value of the
   * container's env variable NAME when there is one (else stays as written), {@code $$} becomes
   * {@code $}.
   */
  static String expand(String arg, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c != '$' || i + 1 == arg.length()) {
        out.append(c);
      } else if (arg.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (arg.charAt(i + 1) == '(' && arg.indexOf(')', i) > 0 && env.containsKey(arg.substring(i + 2, arg.indexOf(')', i)))) {
        out.append(env.get(arg.substring(i + 2, arg.indexOf(')', i))));
        i = arg.indexOf(')', i);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The cells {@code harness run} selects, given the arguments of completion index {@code index}. */
  static List<Cell> cellsRunBy(Map<String, Object> job, int index) {
    Map<String, Object> c = container(job);
    assertThat(c.get("command")).isEqualTo(List.of(KubernetesJob.COMMAND));
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> e : KubernetesJobTest.<List<Map<String, Object>>>at(c, "env")) {
      if (e.get("name").equals(KubernetesJob.TASK_INDEX_VAR)) {
        // the downward API gives the pod's completion index: that is what the variable is defined from
        assertThat(at(e, "valueFrom", "fieldRef", "fieldPath").toString())
            .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        env.put(KubernetesJob.TASK_INDEX_VAR, Integer.toString(index));
      }
    }
    List<String> args = KubernetesJobTest.<List<String>>at(c, "args").stream().map(a -> expand(a, env)).toList();
    CommandLine.ParseResult run = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)).subcommand();
    assertThat(run.commandSpec().name()).isEqualTo("run");
    assertThat((String) run.matchedOptionValue("--expect-plan", null)).isEqualTo("0123456789abcdef");
    // the same selection RunCommand makes from these options
    CellSelection selection = CellSelection.of(run.matchedOptionValue("--cell-index", null),
        run.matchedOptionValue("--task-index", null), run.matchedOptionValue("--cells-per-task", null));
    return selection.apply(PLAN);
  }

  @Test
  void manifestIsAValidKubernetesJob() throws Exception {
    validate(KubernetesJob.render(submission(1, 1, 3, 4, 8), OPTIONS, WORKDIR));
    // the least the user can ask for: CPU only, no requests, kubectl's namespace
    validate(KubernetesJob.render(submission(3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        new KubernetesJob.Options("img", null, 0, 2, null, null, "claim.v1", "/mnt/w", 0), WORKDIR));
  }

  @Test
  void theSchemaCheckCatchesABrokenCopyOfTheManifest() throws Exception {
    String yaml = KubernetesJob.render(submission(1, 1, 3), OPTIONS, WORKDIR);
    assertThatThrownBy(() -> validate(yaml.replace("completionMode:", "completionModee:")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("completionModee");
    assertThatThrownBy(() -> validate(yaml.replace("containers:", "container:")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("container");
    Map<String, Object> job = parse(yaml);
    container(job).remove("name");
    assertThatThrownBy(() -> V1Job.validateJsonElement(JsonParser.parseString(new ObjectMapper().writeValueAsString(job))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    Map<String, Object> job2 = parse(yaml);
    container(job2).put("args", "run --grid g.yaml");
    assertThatThrownBy(() -> V1Job.validateJsonElement(JsonParser.parseString(new ObjectMapper().writeValueAsString(job2))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("args");
  }

  @Test
  void jobIsIndexedAndNeverRetriesACellThatFailedOnItsOwn() {
    Submission s = submission(3, 1, 3, 4, 8);
    Map<String, Object> job = parse(KubernetesJob.render(s, OPTIONS, WORKDIR));
    assertThat((String) at(job, "apiVersion")).isEqualTo("batch/v1");
    assertThat((String) at(job, "kind")).isEqualTo("Job");
    Map<String, Object> spec = at(job, "spec");
    assertThat(spec.get("completionMode")).isEqualTo("Indexed");
    assertThat(spec.get("completions")).isEqualTo(2).isEqualTo(s.tasks());
    assertThat(spec.get("parallelism")).isEqualTo(2);
    assertThat(spec.get("backoffLimitPerIndex")).isEqualTo(2);
    assertThat(spec).doesNotContainKeys("maxFailedIndexes", "backoffLimit");
    assertThat((String) at(spec, "template", "spec", "restartPolicy")).isEqualTo("Never");

    List<Map<String, Object>> rules = at(spec, "podFailurePolicy", "rules");
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).get("action")).isEqualTo("Ignore");
    assertThat(KubernetesJobTest.<List<Object>>at(rules, 0, "onPodConditions")).containsExactly(Map.of("type", "DisruptionTarget", "status", "True"));
    assertThat(rules.get(1).get("action")).isEqualTo("FailIndex");
    assertThat(rules.get(1).get("onExitCodes")).isEqualTo(Map.of("containerName", "harness", "operator", "In", "values", List.of(2, 3)));

    Map<String, Object> c = container(job);
    assertThat(c.get("name")).isEqualTo(KubernetesJob.CONTAINER);
    assertThat(c.get("image")).isEqualTo("registry.example.org/harness:1");
    assertThat(c.get("resources")).isEqualTo(Map.of("limits", Map.of("nvidia.com/gpu", "1"), "requests", Map.of("cpu", "4", "memory", "32Gi")));
    assertThat(KubernetesJobTest.<List<Object>>at(c, "env")).contains(Map.of("name", "OPT_OUT_TRACKING", "value", "true"));
    assertThat(KubernetesJobTest.<List<Object>>at(spec, "template", "spec", "volumes"))
        .containsExactly(Map.of("name", "workspace", "persistentVolumeClaim", Map.of("claimName", "harness-workspace")));
    assertThat(KubernetesJobTest.<List<Object>>at(c, "volumeMounts")).containsExactly(Map.of("name", "workspace", "mountPath", "/workspace"));

    assertThat((String) at(job, "metadata", "namespace")).isEqualTo("ml");
    assertThat(KubernetesJobTest.<Map<String, Object>>at(job, "metadata", "labels")).containsEntry("app.kubernetes.io/name", "harness")
        .containsEntry("harness/grid", "my-grid-v2").containsEntry("harness/plan", "0123456789abcdef");
    assertThat((String) at(job, "metadata", "annotations", "harness/cells")).isEqualTo("1,3,4,8");
  }

  @Test
  void withoutGpusOrRequestsThePodAsksForNothingAndParallelismIsCapped() {
    Map<String, Object> job = parse(KubernetesJob.render(submission(1, 2, 5),
        new KubernetesJob.Options("img", null, 0, 8, null, null, "w", "/workspace", 1), WORKDIR));
    assertThat(container(job)).doesNotContainKey("resources");
    assertThat((Integer) at(job, "spec", "parallelism")).isEqualTo(2);
    assertThat(KubernetesJobTest.<Map<String, Object>>at(job, "metadata")).doesNotContainKey("namespace");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void everyCompletionIndexRunsExactlyItsCells(int perTask) {
    Submission s = submission(perTask, 1, 3, 4, 8);
    Map<String, Object> job = parse(KubernetesJob.render(s, OPTIONS, WORKDIR));
    int completions = at(job, "spec", "completions");
    List<Cell> union = new ArrayList<>();
    for (int i = 0; i < completions; i++) {
      List<Cell> run = cellsRunBy(job, i);
      assertThat(run).as("completion index %d", i).isNotEmpty().isEqualTo(s.cellsOfTask(i));
      union.addAll(run);
    }
    assertThat(union).containsExactlyElementsOf(s.cells());
    assertThat(union.stream().map(Cell::index)).containsExactly(1, 3, 4, 8);
  }

  @Test
  void pathsAreRelativeToTheMountedFolder() {
    Map<String, Object> job = parse(KubernetesJob.render(submission(1, 0), OPTIONS, WORKDIR));
    Map<String, Object> c = container(job);
    assertThat(c.get("workingDir")).isEqualTo("/workspace");
    List<String> args = at(c, "args");
    assertThat(args).containsSubsequence("--grid", "grids/g.yaml").containsSubsequence("--out", "runs/g")
        .containsSubsequence("--data-dir", "data").doesNotContain("--models-dir");
    assertThat(args).noneMatch(a -> a.startsWith("/"));
  }

  @Test
  void aPathOutsideTheFolderIsRefusedNamingItsOption() {
    Submission outside = new Submission("g", WORKDIR.resolve("grids/g.yaml"), Path.of("/scratch/runs/g"), WORKDIR.resolve("data"),
        null, "0123456789abcdef", List.of(PLAN.get(0)), 1, false, 10);
    assertThatThrownBy(() -> KubernetesJob.render(outside, OPTIONS, WORKDIR)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--out").hasMessageContaining("/scratch/runs/g")
        .hasMessageContaining("mounted at /workspace").hasMessageContaining("current folder");
    Submission models = new Submission("g", WORKDIR.resolve("grids/g.yaml"), WORKDIR.resolve("runs"), WORKDIR.resolve("data"),
        WORKDIR.resolve("../models"), "0123456789abcdef", List.of(PLAN.get(0)), 1, false, 10);
    assertThatThrownBy(() -> KubernetesJob.render(models, OPTIONS, WORKDIR)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--models-dir");
  }

  @ParameterizedTest
  @ValueSource(strings = {"32GB", "32gb", "32g", "500m", "lots"})
  void aMemorySizeKubernetesWouldMisreadIsRefused(String memory) {
    KubernetesJob.Options o = new KubernetesJob.Options("img", null, 1, null, null, memory, "w", "/workspace", 1);
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0), o, WORKDIR)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--mem").hasMessageContaining("'" + memory + "'");
  }

  @Test
  void theRefusalSaysWhatToWrite() {
    KubernetesJob.Options o = new KubernetesJob.Options("img", null, 1, null, null, "32GB", "w", "/workspace", 1);
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0), o, WORKDIR)).hasMessageContaining("32Gi").hasMessageContaining("32G ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"32Gi", "32G", "1.5Gi", "512Mi", "64e9", "1000000"})
  void kubernetesMemoryQuantitiesAreKept(String memory) throws Exception {
    KubernetesJob.Options o = new KubernetesJob.Options("img", null, 1, null, null, memory, "w", "/workspace", 1);
    String yaml = KubernetesJob.render(submission(1, 0), o, WORKDIR);
    validate(yaml);
    assertThat((String) at(container(parse(yaml)), "resources", "requests", "memory")).isEqualTo(memory);
  }

  @Test
  void otherOptionsAreCheckedBeforeKubectlWould() {
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0),
        new KubernetesJob.Options("img", "My_NS", 1, null, null, null, "w", "/workspace", 1), WORKDIR)).hasMessageContaining("--namespace");
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0),
        new KubernetesJob.Options("img", null, 1, null, null, null, "Work Space", "/workspace", 1), WORKDIR)).hasMessageContaining("--pvc");
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0),
        new KubernetesJob.Options("img", null, 1, null, null, null, "w", "workspace", 1), WORKDIR)).hasMessageContaining("--mount-path");
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0),
        new KubernetesJob.Options("img", null, 1, null, null, null, "w", "/workspace", -1), WORKDIR)).hasMessageContaining("--retries-per-cell");
    assertThatThrownBy(() -> KubernetesJob.render(submission(1, 0),
        new KubernetesJob.Options(" ", null, 1, null, null, null, "w", "/workspace", 1), WORKDIR)).hasMessageContaining("--image");
  }

  @Test
  void theNameIsADnsLabelThatDiffersBetweenSubmissions() {
    String a = KubernetesJob.manifest(submission(1, 1, 3), OPTIONS, WORKDIR).name();
    assertThat(a).matches("harness-my-grid-v2-[0-9a-f]{8}");
    assertThat(KubernetesJob.manifest(submission(1, 1, 3), OPTIONS, WORKDIR).name()).as("same submission, same job").isEqualTo(a);
    assertThat(KubernetesJob.manifest(submission(1, 1, 4), OPTIONS, WORKDIR).name()).isNotEqualTo(a);
    assertThat(KubernetesJob.manifest(submission(2, 1, 3), OPTIONS, WORKDIR).name()).isNotEqualTo(a);

    Submission odd = new Submission("--Ünïcode grid: " + "x".repeat(80) + "--", WORKDIR.resolve("g.yaml"), WORKDIR.resolve("runs"),
        null, null, "0123456789abcdef", List.of(PLAN.get(0)), 1, false, 10);
    KubernetesJob.Manifest m = KubernetesJob.manifest(odd, OPTIONS, WORKDIR);
    assertThat(m.name()).hasSizeLessThanOrEqualTo(63).matches(KubernetesNames.DNS_LABEL.pattern());
    assertThat((String) at(parse(m.yaml()), "metadata", "labels", "harness/grid")).hasSizeLessThanOrEqualTo(63)
        .matches(KubernetesNames.DNS_LABEL.pattern());
  }

  @Test
  void argumentsReachTheProgramExactlyAsWritten() {
    // "$$" would reach the program as "$", and "$(HARNESS_TASK_INDEX)" as a number, were they not escaped;
    // "on" and "010" would be a boolean and eight to kubectl's YAML 1.1 were they not quoted
    Submission s = new Submission("g", WORKDIR.resolve("grids/g.yaml"), WORKDIR.resolve("runs/a$$b$(HARNESS_TASK_INDEX)"),
        WORKDIR.resolve("on"), WORKDIR.resolve("010"), "0123456789abcdef", List.of(PLAN.get(0)), 1, false, 10);
    String yaml = KubernetesJob.render(s, OPTIONS, WORKDIR);
    List<String> args = at(container(parse(yaml)), "args");
    Map<String, String> env = Map.of(KubernetesJob.TASK_INDEX_VAR, "0");
    List<String> expanded = args.stream().map(a -> expand(a, env)).toList();
    assertThat(expanded).containsSubsequence("--out", "runs/a$$b$(HARNESS_TASK_INDEX)")
        .containsSubsequence("--data-dir", "on").containsSubsequence("--models-dir", "010").containsSubsequence("--task-index", "0");
    assertThat(yaml).containsPattern("- ['\"]on['\"]\n").containsPattern("- ['\"]010['\"]\n");
  }

  @Test
  void theManifestSaysWhatItIsAndHowToApplyIt() {
    String yaml = KubernetesJob.render(submission(1, 1, 3, 4, 8), OPTIONS, WORKDIR);
    String header = yaml.substring(0, yaml.indexOf("apiVersion"));
    assertThat(header.lines()).allMatch(l -> l.startsWith("# "));
    assertThat(header).contains("grid My Grid_v2").contains("4 of its 10 cells unfinished").contains("kubectl apply -f")
        .contains("harness status runs/g").contains("again").contains("/home/me/project");
  }
}
