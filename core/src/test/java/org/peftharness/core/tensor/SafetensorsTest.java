package org.peftharness.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.InvalidInputException;
import org.peftharness.testing.SharedFiles;

class SafetensorsTest {
  @TempDir Path dir;

  /** Raw file bytes: header length, header text, data (no padding, so tests can forge anything). */
  static byte[] raw(long headerLen, String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLen).put(h);
    return b.array();
  }

  static byte[] raw(String header, int dataBytes) {
    return raw(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  static Stream<Arguments> malformed() {
    String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    return Stream.of(
        Arguments.of("shorter than the length field", new byte[] {1, 2, 3}, "shorter than the 8-byte header length"),
        Arguments.of("header length beyond the file", raw(4096, ok, 8), "runs past the end of the file"),
        Arguments.of("header length above the cap", raw(1L << 40, ok, 8), "outside the accepted range"),
        Arguments.of("negative header length", raw(-5, ok, 8), "outside the accepted range"),
        Arguments.of("header not JSON", raw("{\"a\": nope}", 8), "header is not valid JSON"),
        Arguments.of("header not an object", raw("[1,2]", 0), "not a JSON object"),
        Arguments.of("offsets outside the data area",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "tensor 'a': data_offsets [0, 16] lie outside"),
        Arguments.of("truncated data", raw(ok, 4), "tensor 'a': data_offsets [0, 8] lie outside the data area of 4 bytes"),
        Arguments.of("overlapping tensors",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap tensor 'a'"),
        Arguments.of("shape does not match byte length",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "tensor 'a': shape [3] of F32 needs 12 bytes"),
        Arguments.of("unknown dtype",
            raw("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor 'a': unknown dtype 'Q4'"),
        Arguments.of("duplicate name",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "Duplicate field 'a'"),
        Arguments.of("hole between tensors",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "bytes 0..4 before it belong to no tensor"),
        Arguments.of("trailing bytes", raw(ok, 12), "data area has 12 bytes but the tensors cover 8"),
        Arguments.of("negative dimension",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "invalid dimension"),
        Arguments.of("overflowing shape",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[9223372036854775807,4],\"data_offsets\":[0,8]}}", 8), "overflows"),
        Arguments.of("offsets reversed",
            raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "end before they begin"),
        Arguments.of("missing dtype", raw("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor 'a': missing or non-string 'dtype'"),
        Arguments.of("metadata not strings",
            raw("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "__metadata__.k: must be a string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedFilesAreClearErrorsNamingFileAndFault(String name, byte[] bytes, String fault) throws IOException {
    Path f = dir.resolve("bad.safetensors");
    Files.write(f, bytes);
    assertThatThrownBy(() -> SafetensorsFile.open(f).close())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f.toString() + ": ")
        .hasMessageContaining(fault);
  }

  @Test
  void writerOutputReadsBackWithMetadataAndAlignment() throws IOException {
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    tensors.put("w", new FloatTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
    tensors.put("b", new FloatTensor(new long[] {3}, new float[] {0.25f, Float.MIN_VALUE, -0f}));
    tensors.put("empty", new FloatTensor(new long[] {0, 4}, new float[0]));
    Path f = dir.resolve("x.safetensors");
    SafetensorsWriter.write(f, tensors, Map.of("format", "pt"));
    byte[] bytes = Files.readAllBytes(f);
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLen % 8).isZero();
    try (SafetensorsFile sf = SafetensorsFile.open(f)) {
      assertThat(sf.names()).containsExactly("w", "b", "empty");
      assertThat(sf.metadata()).containsEntry("format", "pt");
      assertThat(sf.readFloat("w").data()).containsExactly(1, 2, 3, 4, 5, -6.5f);
      assertThat(sf.readFloat("w").shape()).containsExactly(2, 3);
      assertThat(sf.readFloat("b").data()).containsExactly(0.25f, Float.MIN_VALUE, -0f);
      assertThat(sf.readFloat("empty").size()).isZero();
    }
  }

  @Test
  void halfDoubleAndIntegerTypesWidenToFloat() throws IOException {
    // F16: 1.0 = 0x3C00, -2.5 = 0xC100, 65504 = 0x7BFF, smallest subnormal 0x0001 = 2^-24
    // BF16: 1.0 = 0x3F80, -0.15625 = 0xBE20
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
        + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
        + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[12,20]},"
        + "\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[20,36]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 36).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    b.putShort((short) 0x3C00).putShort((short) 0xC100).putShort((short) 0x7BFF).putShort((short) 0x0001);
    b.putShort((short) 0x3F80).putShort((short) 0xBE20);
    b.putDouble(Math.PI);
    b.putLong(7).putLong(-3);
    Path f = dir.resolve("types.safetensors");
    Files.write(f, b.array());
    try (SafetensorsFile sf = SafetensorsFile.open(f)) {
      assertThat(sf.readFloat("h").data()).containsExactly(1f, -2.5f, 65504f, 0x1p-24f);
      assertThat(sf.readFloat("bf").data()).containsExactly(1f, -0.15625f);
      assertThat(sf.readFloat("d").data()).containsExactly((float) Math.PI);
      assertThat(sf.readLongs("i")).containsExactly(7, -3);
      assertThat(sf.readFloat("i").data()).containsExactly(7f, -3f);
    }
  }

  @Test
  void halfConversionMatchesIeeeForEveryBitPattern() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = DType.halfToFloat((short) bits);
      int exp = (bits >>> 10) & 0x1f;
      int mant = bits & 0x3ff;
      double expected = exp == 0 ? mant * Math.pow(2, -24)
          : exp == 31 ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
          : (1 + mant / 1024.0) * Math.pow(2, exp - 15);
      if ((bits & 0x8000) != 0) {
        expected = -expected;
      }
      if (Double.isNaN(expected)) {
        assertThat(f).isNaN();
      } else {
        assertThat((double) f).as("bits %04x", bits).isEqualTo(expected);
      }
    }
  }

  @Test
  void shardedCheckpointLoadsTheSameWeightsAsUnsharded() throws IOException {
    Map<String, FloatTensor> all = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      float[] v = new float[6];
      for (int j = 0; j < v.length; j++) {
        v[j] = i * 10 + j + 0.5f;
      }
      all.put("layer." + i + ".weight", new FloatTensor(new long[] {2, 3}, v));
    }
    Path single = Files.createDirectories(dir.resolve("single"));
    SafetensorsWriter.write(single.resolve("model.safetensors"), all, Map.of());
    Path sharded = Files.createDirectories(dir.resolve("sharded"));
    Map<String, FloatTensor> first = new LinkedHashMap<>();
    Map<String, FloatTensor> second = new LinkedHashMap<>();
    all.forEach((k, v) -> (k.startsWith("layer.0") || k.startsWith("layer.1") ? first : second).put(k, v));
    SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), first, Map.of());
    SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second, Map.of());
    StringBuilder index = new StringBuilder("{\"metadata\":{\"total_size\":96},\"weight_map\":{");
    String sep = "";
    for (String k : all.keySet()) {
      String file = first.containsKey(k) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      index.append(sep).append('"').append(k).append("\":\"").append(file).append('"');
      sep = ",";
    }
    Files.writeString(sharded.resolve("model.safetensors.index.json"), index.append("}}"));

    try (SafetensorsCheckpoint a = SafetensorsCheckpoint.open(single);
        SafetensorsCheckpoint b = SafetensorsCheckpoint.open(sharded)) {
      assertThat(b.names()).containsExactlyInAnyOrderElementsOf(a.names());
      for (String k : a.names()) {
        assertThat(b.readFloat(k).data()).containsExactly(a.readFloat(k).data());
        assertThat(b.readFloat(k).shape()).containsExactly(a.readFloat(k).shape());
      }
    }
  }

  @Test
  void indexPointingAtTheWrongShardIsAnError() throws IOException {
    Path sharded = Files.createDirectories(dir.resolve("wrong"));
    SafetensorsWriter.write(sharded.resolve("s1.safetensors"),
        Map.of("x", new FloatTensor(new long[] {1}, new float[] {1})), Map.of());
    SafetensorsWriter.write(sharded.resolve("s2.safetensors"),
        Map.of("y", new FloatTensor(new long[] {1}, new float[] {2})), Map.of());
    Files.writeString(sharded.resolve("model.safetensors.index.json"),
        "{\"weight_map\":{\"x\":\"s2.safetensors\",\"y\":\"s2.safetensors\"}}");
    assertThatThrownBy(() -> SafetensorsCheckpoint.open(sharded))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("model.safetensors.index.json")
        .hasMessageContaining("weight_map.x");
  }

  @Test
  void readsTheIndependentFixtureFile() {
    Path f = SharedFiles.fixture("method-init/tall.safetensors");
    try (SafetensorsFile sf = SafetensorsFile.open(f)) {
      assertThat(sf.names()).contains("W0", "G", "pissa.A");
      assertThat(sf.readFloat("W0").shape()).containsExactly(24, 16);
      assertThat(List.copyOf(sf.metadata().keySet())).isNotEmpty();
    }
  }
}
