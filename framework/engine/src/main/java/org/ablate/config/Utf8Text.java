package org.ablate.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a configuration file's bytes as UTF-8, strictly: a file that is not UTF-8 text (a
 * binary file, Latin-1) is refused with the line, column and byte offset of its first bad byte,
 * instead of the decoder's "Input length = 1".
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    public static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw notUtf8(bytes, in.position(), source);
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw notUtf8(bytes, in.position(), source);
        }
        String text = out.flip().toString();
        // a byte-order mark is allowed at the start of a YAML stream and carries no content
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static ConfigException notUtf8(byte[] bytes, int offset, String source) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        // column in characters: count the bytes before the bad one that start a UTF-8 sequence
        int column = 1;
        for (int i = lineStart; i < offset; i++) {
            if ((bytes[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return new ConfigException(source + ":" + line, String.format(java.util.Locale.ROOT,
                "not UTF-8 text: byte 0x%02X at line %d, column %d (byte offset %d) is not valid UTF-8"
                        + " (accepted: a UTF-8 text file; re-save it as UTF-8)",
                bytes[offset] & 0xFF, line, column, offset));
    }
}
