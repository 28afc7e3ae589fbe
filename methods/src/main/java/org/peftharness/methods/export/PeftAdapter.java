package org.peftharness.methods.export;

import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;

/**
 * A Hugging Face PEFT LoRA adapter: the tensors of {@code adapter_model.safetensors} by key and
 * the fields of {@code adapter_config.json} (insertion-ordered; lists, maps, numbers, strings,
 * booleans and nulls, ready for a JSON writer).
 */
public record PeftAdapter(Map<String, FloatTensor> tensors, Map<String, Object> config) {}
