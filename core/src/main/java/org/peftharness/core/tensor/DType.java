package org.peftharness.core.tensor;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;

/** The safetensors element types the harness reads; floating types are widened to float32. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2),
  F64(8),
  I64(8),
  I32(4);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloating() {
    return this == F32 || this == F16 || this == BF16 || this == F64;
  }

  public static Optional<DType> parse(String s) {
    try {
      return Optional.of(valueOf(s.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Reads element i of a little-endian buffer as a float32 (integers converted, halves widened). */
  float readFloat(ByteBuffer b, int i) {
    switch (this) {
      case F32:
        return b.getFloat(i * 4);
      case F16:
        return halfToFloat(b.getShort(i * 2));
      case BF16:
        return Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
      case F64:
        return (float) b.getDouble(i * 8);
      case I64:
        return b.getLong(i * 8);
      case I32:
        return b.getInt(i * 4);
      default:
        throw new AssertionError(this);
    }
  }

  /** IEEE 754 binary16 to float32, exact (Float.float16ToFloat arrives only in Java 20). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  long readLong(ByteBuffer b, int i) {
    switch (this) {
      case I64:
        return b.getLong(i * 8);
      case I32:
        return b.getInt(i * 4);
      default:
        throw new IllegalStateException(this + " is not an integer type");
    }
  }
}
