package dev.canal.runtime.seccomp;

import dev.canal.runtime.oci.Seccomp;
import java.util.List;

/**
 * A {@code linux.seccomp} section written as one line of text, the same for every section the
 * compiler reads alike: each member the compiler reads, in a fixed order, every string quoted
 * and escaped (a quote, a backslash, a control character), absent values written {@code null}
 * unquoted. Two sections with the same text compile to the same filter, and two with different
 * members the compiler reads never share a text. The members it ignores ({@code
 * listenerMetadata}, unknown ones) are left out.
 */
final class CanonicalSeccomp {

    private CanonicalSeccomp() {}

    static String of(Seccomp spec) {
        var text = new StringBuilder(4096);
        text.append("defaultAction=");
        string(text, spec.defaultAction());
        text.append(";defaultErrnoRet=").append(spec.defaultErrnoRet());
        text.append(";architectures=");
        strings(text, spec.architectures());
        text.append(";flags=");
        strings(text, spec.flags());
        text.append(";listenerPath=");
        string(text, spec.listenerPath());
        text.append(";syscalls=[");
        for (Seccomp.Syscall syscall : spec.syscalls()) {
            text.append("{names=");
            strings(text, syscall.names());
            text.append(";action=");
            string(text, syscall.action());
            text.append(";errnoRet=").append(syscall.errnoRet()).append(";args=[");
            for (Seccomp.Arg arg : syscall.args()) {
                text.append("{index=").append(arg.index());
                text.append(";value=").append(arg.value());
                text.append(";valueTwo=").append(arg.valueTwo());
                text.append(";op=");
                string(text, arg.op());
                text.append('}');
            }
            text.append("]}");
        }
        return text.append(']').toString();
    }

    private static void strings(StringBuilder text, List<String> values) {
        text.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            string(text, values.get(i));
        }
        text.append(']');
    }

    /** JSON's escapes (RFC 8259 section 7), and no line break left in the text. */
    static void string(StringBuilder text, String value) {
        if (value == null) {
            text.append("null");
            return;
        }
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                text.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                text.append(c);
            }
        }
        text.append('"');
    }
}
