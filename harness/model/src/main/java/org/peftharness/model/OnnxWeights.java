package org.peftharness.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;

/**
 * The initializers of an exported BERT-family ONNX graph, renamed to PyTorch names. Biases,
 * LayerNorm and embeddings keep their names in the export; MatMul weights get generated names
 * ({@code onnx::MatMul_787}) and are stored {@code [in, out]}, so each is named after the node
 * that consumes it ({@code /encoder/layer.0/attention/self/query/MatMul}) and transposed.
 */
public final class OnnxWeights implements Weights {
  private static final Pattern MATMUL_NODE = Pattern.compile("^/(.+)/MatMul$");
  /** The real MiniLM file is 90 MB; protobuf's default 64 MiB message limit is too small. */
  private static final int MAX_MESSAGE_BYTES = 1 << 30;

  private final String source;
  private final Map<String, FloatTensor> tensors;

  private OnnxWeights(String source, Map<String, FloatTensor> tensors) {
    this.source = source;
    this.tensors = tensors;
  }

  public static OnnxWeights read(String source, InputStream in) throws IOException {
    CodedInputStream coded = CodedInputStream.newInstance(in);
    coded.setSizeLimit(MAX_MESSAGE_BYTES);
    OnnxMl.ModelProto model;
    try {
      model = OnnxMl.ModelProto.parseFrom(coded);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidInputException(source, 0, null, "not a valid ONNX model: " + e.getMessage());
    }
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, String> consumerName = new HashMap<>();
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      Matcher m = MATMUL_NODE.matcher(node.getName());
      if (node.getOpType().equals("MatMul") && m.matches()) {
        for (String input : node.getInputList()) {
          consumerName.put(input, m.group(1).replace('/', '.') + ".weight");
        }
      }
    }
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
        continue; // shape constants and the like; the model's weights are all float32
      }
      FloatTensor value = toFloat(source, t);
      String renamed = consumerName.get(t.getName());
      if (renamed != null) {
        if (value.rank() != 2) {
          throw new InvalidInputException(source, 0, "initializer '" + t.getName() + "'", "MatMul weight is not a matrix");
        }
        tensors.put(renamed, value.transpose2d());
      } else {
        tensors.put(t.getName(), value);
      }
    }
    return new OnnxWeights(source, Collections.unmodifiableMap(tensors));
  }

  private static FloatTensor toFloat(String source, OnnxMl.TensorProto t) {
    long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long count;
    try {
      count = FloatTensor.elementCount(shape);
    } catch (RuntimeException e) {
      throw new InvalidInputException(source, 0, "initializer '" + t.getName() + "'", "invalid dims " + t.getDimsList());
    }
    float[] data;
    if (t.hasRawData()) {
      ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (raw.remaining() != count * 4) {
        throw new InvalidInputException(source, 0, "initializer '" + t.getName() + "'",
            "raw_data has " + raw.remaining() + " bytes, dims " + t.getDimsList() + " need " + count * 4);
      }
      data = new float[(int) count];
      raw.asFloatBuffer().get(data);
    } else {
      if (t.getFloatDataCount() != count) {
        throw new InvalidInputException(source, 0, "initializer '" + t.getName() + "'",
            "float_data has " + t.getFloatDataCount() + " values, dims need " + count);
      }
      data = new float[(int) count];
      for (int i = 0; i < count; i++) {
        data[i] = t.getFloatData(i);
      }
    }
    return new FloatTensor(shape, data);
  }

  @Override
  public Set<String> names() {
    return tensors.keySet();
  }

  @Override
  public FloatTensor read(String name) {
    FloatTensor t = tensors.get(name);
    if (t == null) {
      throw new InvalidInputException(source, 0, "tensor '" + name + "'", "not found in the ONNX initializers");
    }
    return t;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    // held on the heap only
  }
}
