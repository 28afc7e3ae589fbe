package org.peftharness.core.tensor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;

/**
 * A safetensors file opened for reading. The header is validated completely on open (the file is
 * untrusted): every offset lies inside the data area, tensors neither overlap nor leave holes,
 * every shape matches its byte length, names are unique, and the header itself is capped so a
 * forged length cannot exhaust memory. Tensor data is read lazily through memory maps.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Headers of real checkpoints are a few hundred KiB; 100 MiB is far beyond any of them. */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  /** One tensor's header entry; offsets are relative to the start of the data area. */
  public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    public long byteLength() {
      return end - begin;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  public static SafetensorsFile open(Path path) {
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path, null, "file not found");
    } catch (IOException e) {
      throw new InvalidInputException(path, null, "cannot open: " + e.getMessage());
    }
    try {
      SafetensorsFile f = parse(path, ch);
      return f;
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static SafetensorsFile parse(Path path, FileChannel ch) {
    try {
      long size = ch.size();
      if (size < 8) {
        throw fault(path, null, "truncated: " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
        throw fault(path, null, "header length " + Long.toUnsignedString(headerLen)
            + " is outside the accepted range 2.." + MAX_HEADER_BYTES + " bytes");
      }
      if (headerLen > size - 8) {
        throw fault(path, null, "header length " + headerLen + " runs past the end of the file ("
            + size + " bytes): truncated or not a safetensors file");
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
      readFully(ch, headerBuf, 8);
      String header = new String(headerBuf.array(), StandardCharsets.UTF_8);
      long dataStart = 8 + headerLen;
      long dataSize = size - dataStart;

      JsonNode root;
      try {
        root = JSON.readTree(header);
      } catch (JsonProcessingException e) {
        throw fault(path, null, "header is not valid JSON: " + e.getOriginalMessage());
      }
      if (root == null || !root.isObject()) {
        throw fault(path, null, "header is not a JSON object");
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, Entry> entries = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = root.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        if (name.equals("__metadata__")) {
          readMetadata(path, field.getValue(), metadata);
        } else {
          entries.put(name, readEntry(path, name, field.getValue(), dataSize));
        }
      }
      checkLayout(path, entries, dataSize);
      return new SafetensorsFile(path, ch, dataStart, Collections.unmodifiableMap(entries),
          Collections.unmodifiableMap(metadata));
    } catch (IOException e) {
      throw new InvalidInputException(path, null, "cannot read: " + e.getMessage());
    }
  }

  private static void readMetadata(Path path, JsonNode node, Map<String, String> out) {
    if (!node.isObject()) {
      throw fault(path, "__metadata__", "must be an object of strings");
    }
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw fault(path, "__metadata__." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
  }

  private static Entry readEntry(Path path, String name, JsonNode node, long dataSize) {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw fault(path, where, "header entry is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw fault(path, where, "missing or non-string 'dtype'");
    }
    DType dtype = DType.parse(dtypeNode.asText()).orElseThrow(() -> fault(path, where,
        "unknown dtype '" + dtypeNode.asText() + "' (supported: " + Arrays.toString(DType.values()) + ")"));
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw fault(path, where, "missing or non-array 'shape'");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
        throw fault(path, where, "shape " + shapeNode + " has an invalid dimension");
      }
      shape[i] = d.asLong();
    }
    JsonNode off = node.get("data_offsets");
    if (off == null || !off.isArray() || off.size() != 2 || !isNonNegativeLong(off.get(0))
        || !isNonNegativeLong(off.get(1))) {
      throw fault(path, where, "'data_offsets' must be two non-negative integers");
    }
    long begin = off.get(0).asLong();
    long end = off.get(1).asLong();
    if (begin > end) {
      throw fault(path, where, "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    if (end > dataSize) {
      throw fault(path, where, "data_offsets [" + begin + ", " + end
          + "] lie outside the data area of " + dataSize + " bytes (truncated file?)");
    }
    long expected;
    try {
      expected = Math.multiplyExact(FloatTensor.elementCount(shape), dtype.bytes());
    } catch (ArithmeticException e) {
      throw fault(path, where, "shape " + Arrays.toString(shape) + " overflows");
    }
    if (expected != end - begin) {
      throw fault(path, where, "shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected
          + " bytes but data_offsets span " + (end - begin));
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static boolean isNonNegativeLong(JsonNode n) {
    return n != null && n.canConvertToExactIntegral() && n.canConvertToLong() && n.asLong() >= 0;
  }

  /** Tensors must tile the data area exactly, as the reference implementation requires. */
  private static void checkLayout(Path path, Map<String, Entry> entries, long dataSize) {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long cursor = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin() < cursor) {
        throw fault(path, "tensor '" + e.name() + "'", "data_offsets [" + e.begin() + ", " + e.end()
            + "] overlap tensor '" + previous.name() + "'");
      }
      if (e.begin() > cursor) {
        throw fault(path, "tensor '" + e.name() + "'", "bytes " + cursor + ".." + e.begin()
            + " before it belong to no tensor");
      }
      cursor = e.end();
      previous = e;
    }
    if (cursor != dataSize) {
      throw fault(path, null, "data area has " + dataSize + " bytes but the tensors cover " + cursor);
    }
  }

  public Path path() {
    return path;
  }

  public Set<String> names() {
    return entries.keySet();
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw fault(path, "tensor '" + name + "'", "not in this file");
    }
    return e;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads a tensor as float32 (F16/BF16 widened exactly, F64 rounded, integers converted). */
  public FloatTensor readFloat(String name) {
    Entry e = entry(name);
    ByteBuffer b = map(e);
    int n = Math.toIntExact(FloatTensor.elementCount(e.shape()));
    float[] out = new float[n];
    if (e.dtype() == DType.F32) {
      b.asFloatBuffer().get(out);
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = e.dtype().readFloat(b, i);
      }
    }
    return new FloatTensor(e.shape(), out);
  }

  /** Reads an integer tensor (I64 or I32). */
  public long[] readLongs(String name) {
    Entry e = entry(name);
    if (e.dtype().isFloating()) {
      throw fault(path, "tensor '" + name + "'", "is " + e.dtype() + ", expected an integer type");
    }
    ByteBuffer b = map(e);
    long[] out = new long[Math.toIntExact(FloatTensor.elementCount(e.shape()))];
    for (int i = 0; i < out.length; i++) {
      out[i] = e.dtype().readLong(b, i);
    }
    return out;
  }

  private ByteBuffer map(Entry e) {
    if (e.byteLength() > Integer.MAX_VALUE) {
      throw fault(path, "tensor '" + e.name() + "'", "is larger than 2 GiB, which one array cannot hold");
    }
    if (e.byteLength() == 0) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteLength())
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw new UncheckedIOException("reading " + e.name() + " from " + path, ex);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  private static InvalidInputException fault(Path path, String field, String problem) {
    return new InvalidInputException(path, field, problem);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // already failing; the original error is the one to report
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode newHeader() {
    return JSON.createObjectNode();
  }

  static ObjectMapper json() {
    return JSON;
  }
}
