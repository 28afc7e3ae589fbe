package org.peftharness.adapter;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Role;
import org.peftharness.methods.TargetModules;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Puts a PEFT adapter's tensors into a graph built with the adapter's LoRA factory, by PEFT's
 * loading rules (peft/utils/save_and_load.py, set_peft_model_state_dict): a target module's
 * factors are {@code base_model.model.<prefix><module>.lora_A.weight} (r×in) and
 * {@code .lora_B.weight} (out×r), under {@code use_dora} also {@code .lora_magnitude_vector} (out);
 * a {@code modules_to_save} tensor is
 * {@code base_model.model.<its name in the transformers task model>} and replaces that head weight
 * whole (ModulesToSaveWrapper).
 * Every tensor must be used, every target must match a linear layer, every targeted layer must have
 * both factors of the configured rank, and every head weight must come from the checkpoint or the
 * adapter: a head weight from neither would be a random draw, and its logits would mean nothing.
 */
public final class PeftAdapterLoader {
  static final String PEFT_PREFIX = "base_model.model.";

  private PeftAdapterLoader() {}

  /**
   * @param modulePrefix the architecture's prefix in transformers' task models ({@code bert.}, or empty)
   * @param head the task head's weights by transformers name ({@code pooler.dense.weight}, {@code classifier.weight})
   * @param freshHeadWeights the head weights the checkpoint lacks, by task-model key ({@code TaskRun.freshHeadWeights()})
   * @return the head weights taken from the adapter's {@code modules_to_save}
   */
  public static List<String> load(PeftAdapterFolder adapter, AdapterFactory factory, GraphModel<TFloat32> graph,
      String modulePrefix, Map<String, Variable<TFloat32>> head, List<String> freshHeadWeights) {
    PeftLoraConfig config = adapter.config();
    checkTargetsMatch(config, factory, graph, modulePrefix);
    Set<String> used = new HashSet<>();
    for (AdapterSite s : factory.sites()) {
      String base = PEFT_PREFIX + modulePrefix + s.module();
      FloatTensor a = factor(adapter, base + ".lora_A.weight", config.rank(), s.site().inFeatures(), s.module());
      FloatTensor b = factor(adapter, base + ".lora_B.weight", s.site().outFeatures(), config.rank(), s.module());
      used.add(base + ".lora_A.weight");
      used.add(base + ".lora_B.weight");
      SiteInit init = SiteInit.of(a, b, null, null);
      if (config.dora()) {
        // PEFT loads the saved magnitude over the one DoRA's init computed (tuners/lora/model.py
        // _remap_adapter_state_dict_for_load appends ".weight" to the saved "lora_magnitude_vector")
        String key = base + ".lora_magnitude_vector";
        Map<Role, FloatTensor> withMagnitude = new LinkedHashMap<>(init.tensors());
        withMagnitude.put(DoraMethod.MAGNITUDE, tensor(adapter, key, new long[] {s.site().outFeatures()}, s.module()));
        init = new SiteInit(withMagnitude);
        used.add(key);
      }
      factory.assign(graph.session(), s, init);
    }
    Map<String, String> headKeys = new LinkedHashMap<>();
    head.keySet().forEach(name -> headKeys.put(savedKey(name, modulePrefix), name));
    Map<String, String> fromAdapter = new LinkedHashMap<>();
    for (String key : new TreeSet<>(adapter.tensors().keySet())) {
      if (used.contains(key)) {
        continue;
      }
      String name = headKeys.get(key);
      if (name == null || !savedModule(config.modulesToSave(), key.substring(PEFT_PREFIX.length()))) {
        throw adapter.tensorError(key, "is neither a LoRA factor of a targeted linear layer nor a head weight under "
            + "modules_to_save " + config.modulesToSave() + " (the task's head weights are saved as " + headKeys.keySet() + ")");
      }
      fromAdapter.put(name, key);
    }
    for (String name : head.keySet()) {
      if (!fromAdapter.containsKey(name) && freshHeadWeights.contains(ClassifierHead.taskModelKey(name, modulePrefix))) {
        throw config.error("modules_to_save", "the head weight '" + name + "' is neither in the model's checkpoint nor "
            + "in the adapter, so it would be a random draw (transformers would draw it too); save it with the adapter");
      }
    }
    assignHead(adapter, graph, head, fromAdapter);
    return List.copyOf(fromAdapter.keySet());
  }

  /** PEFT refuses a config whose targets match nothing; here each target must match a linear layer. */
  private static void checkTargetsMatch(PeftLoraConfig config, AdapterFactory factory, GraphModel<TFloat32> graph,
      String modulePrefix) {
    for (String t : factory.targetModules()) {
      boolean matched = factory.sites().stream().anyMatch(s -> TargetModules.matches(s.module(), List.of(t)));
      if (!matched) {
        List<String> examples = graph.linearSites().keySet().stream().limit(8).toList();
        throw config.error("target_modules", "'" + t + "' matches no linear layer of the model (its linear layers are named "
            + "like " + modulePrefix + String.join(", " + modulePrefix, examples) + ", ...)");
      }
    }
  }

  private static FloatTensor factor(PeftAdapterFolder adapter, String key, long rows, long cols, String module) {
    return tensor(adapter, key, new long[] {rows, cols}, module);
  }

  private static FloatTensor tensor(PeftAdapterFolder adapter, String key, long[] shape, String module) {
    FloatTensor t = adapter.tensors().get(key);
    if (t == null) {
      throw adapter.tensorError(key, "missing: the target module " + module + " needs lora_A and lora_B"
          + (adapter.config().dora() ? " and, under use_dora, lora_magnitude_vector" : ""));
    }
    if (!Arrays.equals(t.shape(), shape)) {
      throw adapter.tensorError(key, "has shape " + Arrays.toString(t.shape()) + ", but with r = " + adapter.config().rank()
          + " this layer needs " + Arrays.toString(shape));
    }
    return t;
  }

  /**
   * The key PEFT saves a head weight under: its name in transformers' task model after
   * {@code base_model.model.}. BERT's pooler belongs to the bare model ({@code bert.pooler.dense.weight},
   * modeling_bert.py BertModel), the classifier to the task model ({@code classifier.weight}); a
   * pooler saved without the prefix is one transformers would not load, so it is not accepted here either.
   */
  private static String savedKey(String headName, String modulePrefix) {
    return PEFT_PREFIX + ClassifierHead.taskModelKey(headName, modulePrefix);
  }

  /** PEFT wraps every module whose name ends with an entry of modules_to_save (peft/utils/other.py, _set_trainable). */
  private static boolean savedModule(List<String> modulesToSave, String name) {
    String dotted = "." + name;
    return modulesToSave.stream().anyMatch(m -> dotted.contains("." + m + "."));
  }

  /** Head variables have no assign op of their own here; one is added per weight (the graph may grow after its session starts). */
  private static void assignHead(PeftAdapterFolder adapter, GraphModel<TFloat32> graph, Map<String, Variable<TFloat32>> head,
      Map<String, String> keys) {
    Ops tf = graph.ops().withSubScope("adapter_import");
    for (Map.Entry<String, String> e : keys.entrySet()) {
      String key = e.getValue();
      FloatTensor value = adapter.tensors().get(key);
      Variable<TFloat32> v = head.get(e.getKey());
      if (!Arrays.equals(value.shape(), v.shape().asArray())) {
        throw adapter.tensorError(key, "has shape " + Arrays.toString(value.shape()) + ", the task's head needs "
            + Arrays.toString(v.shape().asArray()));
      }
      Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
      Operand<TFloat32> assign = tf.assign(v, feed);
      try (TFloat32 t = HostTensors.of(value)) {
        graph.session().runner().feed(feed, t).addTarget(assign).run().close();
      }
    }
  }
}
