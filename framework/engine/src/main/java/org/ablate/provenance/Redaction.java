package org.ablate.provenance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the secrets a URL can carry (user-info, query values) in what is printed or stored: a
 * recorded command line (argument by argument), an error message (URLs up to a space or quote). Over-redacting an unusual URL is harmless; leaving a
 * password in config.json, which is committed and uploaded with the results, is not.
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String MASK = "***";

    /**
     * A URL up to white space or a quote: messages quote values ('http://...'). The scheme starts
     * only where a run of scheme characters starts and is matched possessively, so a 100,000-letter
     * value is scanned once, not once per letter (that took minutes); a scheme may start with a
     * digit here: over-redacting is harmless.
     */
    private static final Pattern URL = Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z0-9+.-]++://[^\\s'\"`<>]+");
    private static final Pattern SCHEME = Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z0-9+.-]++://");
    private static final Pattern QUERY_VALUE = Pattern.compile("([?&;][^=&;#\\s]*=)[^&;#\\s]*");

    private Redaction() {
    }

    /** {@code text} with every URL's user-info and query values replaced by {@value #MASK}. */
    public static String redactUrls(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(redactUrl(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * One command-line argument with the URL in it masked ({@code --tracking-uri=http://...}): the
     * URL runs to the argument's end, so any character of a password (a quote, a space) is covered.
     */
    public static String redactArgument(String arg) {
        Matcher m = SCHEME.matcher(arg);
        return m.find() ? arg.substring(0, m.start()) + redactUrl(arg.substring(m.start())) : arg;
    }

    /**
     * One URL (or a bare {@code user:pass@host}) with its user-info and query values masked. The
     * user-info runs to the last '@' before the query, so a raw '@' or '/' inside a password is masked
     * too (an '@' in a path is masked with it: harmless).
     */
    public static String redactUrl(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = url.length();
        for (char c : new char[] {'?', '#'}) {
            int i = url.indexOf(c, start);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        String head = at >= start ? url.substring(0, start) + MASK + url.substring(at) : url;
        int query = head.indexOf('?', start);
        if (query < 0) {
            return head;
        }
        return head.substring(0, query) + QUERY_VALUE.matcher(head.substring(query)).replaceAll("$1" + MASK);
    }
}
