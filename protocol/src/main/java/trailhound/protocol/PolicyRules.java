package trailhound.protocol;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/*
 * Why RE2/J and globs: a rule's command-line pattern runs against every new process's command line,
 * which an attacker writes (64 KiB at most on the agent). java.util.regex backtracks, so a pattern such
 * as (a+)+$ against a long run of a's takes exponential time and would stall the agent's enforcement;
 * RE2 matches in time linear in the input, whatever the pattern. Patterns are also bounded in length
 * (MAX_PATTERN) so compiling one is cheap. Globs (the common case: "*-enc*", "/tmp/*") are turned into
 * RE2 patterns, so one engine answers everything. Everything compares case-insensitively, as the query
 * language does, so a rule made from a search matches what the search found.
 */

/**
 * Checks and matches protection policies' process rules ({@link Message.Rule}), the same code on the
 * server (which refuses a bad rule) and on the agent (which matches new processes).
 *
 * <pre>{@code
 * Optional<String> wrong = PolicyRules.check(rule);          // "command line: ... (column 4)"
 * PolicyRules.Compiled c = PolicyRules.compile(rule);         // IllegalArgumentException when wrong
 * boolean hit = c.matches(new PolicyRules.Process("/tmp/x", "/tmp/x -a", sha256, "/bin/bash"));
 * }</pre>
 *
 * <p>Thread-safe; compiled rules are immutable.
 */
public final class PolicyRules {
    /** The longest path, command-line or parent pattern accepted, in characters. */
    public static final int MAX_PATTERN = 1_000;
    /** The two actions a policy takes. */
    public static final String BLOCK = "block";
    public static final String ALERT = "alert";

    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
    /** How a path that can match a whole executable path starts: a slash, a drive, a UNC or device path, or a wildcard. */
    private static final java.util.regex.Pattern WHOLE_PATH = java.util.regex.Pattern.compile("[/*?\\\\]|[A-Za-z]:[\\\\/]");

    private PolicyRules() {}

    /**
     * What a rule is tested against: the new process's executable {@code path}, its {@code commandLine},
     * the executable's {@code sha256} (lower-case hex, null when unknown: a rule naming a hash then does
     * not match) and the {@code parentPath} of its parent (null when unknown).
     */
    public record Process(String path, String commandLine, String sha256, String parentPath) {}

    /** A rule ready to match. */
    public record Compiled(Message.Rule rule, Pattern path, Pattern commandLine, Pattern parent, boolean parentByName) {
        /** Whether every condition of the rule holds for {@code p}. */
        public boolean matches(Process p) {
            if (rule.sha256() != null && (p.sha256() == null || !rule.sha256().equalsIgnoreCase(p.sha256()))) return false;
            if (path != null && (p.path() == null || !path.matches(p.path()))) return false;
            if (commandLine != null && (p.commandLine() == null || !commandLine.matches(p.commandLine()))) return false;
            if (parent != null) {
                if (p.parentPath() == null) return false;
                String parentValue = parentByName ? baseName(p.parentPath()) : p.parentPath();
                if (!parent.matches(parentValue)) return false;
            }
            return true;
        }

        /** Whether matching needs the executable's hash (which the agent computes only then). */
        public boolean needsHash() {
            return rule.sha256() != null;
        }
    }

    /** What is wrong with the rule, for a person (which condition and why), or empty when it is usable. */
    public static Optional<String> check(Message.Rule rule) {
        return check(rule, regex -> false);
    }

    /**
     * As {@link #check(Message.Rule)}, also refusing as matching every process a command-line regex for which
     * {@code matchesEveryValue} holds (the server decides it on the regex's automaton, which agents need not
     * carry: they only run the rules the server accepted).
     */
    public static Optional<String> check(Message.Rule rule, Predicate<String> matchesEveryValue) {
        try {
            compile(rule, matchesEveryValue);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether {@code action} is one a policy takes ({@value #BLOCK} or {@value #ALERT}). */
    public static boolean isAction(String action) {
        return BLOCK.equals(action) || ALERT.equals(action);
    }

    /**
     * The rule compiled.
     *
     * @throws IllegalArgumentException naming the condition: no condition at all, a hash that is not 64 hex
     *     digits, a pattern longer than {@link #MAX_PATTERN}, a regex that does not parse (with RE2's reason)
     */
    public static Compiled compile(Message.Rule rule) {
        return compile(rule, regex -> false);
    }

    private static Compiled compile(Message.Rule rule, Predicate<String> matchesEveryValue) {
        if (blank(rule.sha256()) && blank(rule.path()) && blank(rule.commandLine()) && blank(rule.parent())) {
            throw new IllegalArgumentException("a rule needs at least one of hash, path, command line or parent");
        }
        if (!blank(rule.sha256()) && !SHA256.matcher(rule.sha256()).matches()) {
            throw new IllegalArgumentException("hash: a SHA-256 is 64 hexadecimal digits, not '" + shorten(rule.sha256()) + "'");
        }
        Pattern path = blank(rule.path()) ? null : glob("path", rule.path());
        if (!blank(rule.path()) && !WHOLE_PATH.matcher(rule.path().strip()).lookingAt()) {
            // a try-out's rule "curl" was accepted and never matched: the path is compared whole
            String name = rule.path().strip();
            throw new IllegalArgumentException("path: '" + shorten(name) + "' is compared with the executable's whole path, so it would never"
                    + " match: write the full path (/usr/bin/" + shorten(name) + ") or */" + shorten(name) + " for any folder");
        }
        Pattern commandLine = blank(rule.commandLine()) ? null : commandLine(rule.commandLine());
        Pattern parent = blank(rule.parent()) ? null : glob("parent", rule.parent());
        boolean byName = !blank(rule.parent()) && rule.parent().indexOf('/') < 0 && rule.parent().indexOf('\\') < 0;
        if (blank(rule.sha256()) && broad(path, rule.path()) && (broad(commandLine, rule.commandLine()) || regex(rule.commandLine()) != null && matchesEveryValue.test(regex(rule.commandLine()))) && broad(parent, rule.parent())) {
            throw new IllegalArgumentException("the rule matches every process (" + describe(rule).replaceFirst("^#\\S+ ", "")
                    + "): enabled, it would act on every new process on every endpoint; give at least one condition some literal"
                    + " text (a letter or digit to match), e.g. path /tmp/* or command line *-enc*");
        }
        return new Compiled(rule, path, commandLine, parent, byName);
    }

    /** Compiles every rule of every policy; a bad one is left out and named in {@code problems}. */
    public static List<Compiled> compileAll(List<Message.Rule> rules, List<String> problems) {
        List<Compiled> out = new ArrayList<>();
        for (Message.Rule r : rules) {
            try {
                out.add(compile(r));
            } catch (IllegalArgumentException e) {
                problems.add("rule " + r.id() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** The rule as one line of text, for events and pages: {@code #12 path=/tmp/* command_line=*-x*}. */
    public static String describe(Message.Rule rule) {
        StringBuilder b = new StringBuilder("#").append(rule.id());
        if (!blank(rule.sha256())) b.append(" hash=").append(rule.sha256().toLowerCase(Locale.ROOT));
        if (!blank(rule.path())) b.append(" path=").append(rule.path());
        if (!blank(rule.commandLine())) b.append(" command_line=").append(rule.commandLine());
        if (!blank(rule.parent())) b.append(" parent=").append(rule.parent());
        return b.toString();
    }

    /**
     * Values no useful condition matches all of: short, a path of each kind, a command line over two lines, every
     * ASCII punctuation, letters beyond ASCII, tabs, line breaks and a bidi mark. A condition that matches every one (the empty
     * string aside: a process always has a path) acts on every process, however its regex is spelled: a regex the
     * server's automaton cannot read ({@code /(.|\n)+/}) is caught here.
     */
    private static final List<String> ANY_TEXT = List.of("", "a", "Z", "7", " ", "/usr/bin/env", "C:\\Windows\\System32\\cmd.exe",
            "\"C:\\Program Files\\x.exe\" /c 'echo %TEMP%' && x\ny", "0123456789 !#$()*+,-.:;<=>?@[]^_`{|}~\"'\\",
            "\u00fcber caf\u00e9 \u65e5\u672c \u0416 \u2713 \ud83d\ude00", "tab\there\r\n \u202e");

    /**
     * Whether a condition holds for any value (an absent one does): a glob of only {@code *} and {@code ?} (which
     * matches any value of its length or more), or a regex such as {@code /.*}{@code /} that matches the empty string and each sample text. A heuristic: a regex
     * can still match nearly everything ({@code /.+/}); this refuses the patterns that are plainly "everything".
     */
    /**
     * Whether a condition, as given ({@code raw}) and compiled, holds for (nearly) every process: one that
     * {@link #matchesAnything}, or one with no letter or digit to match at all ({@code /*}, {@code * *},
     * {@code /.+/}: every Linux path starts with a slash, nearly every command line has a space).
     */
    private static boolean broad(Pattern p, String raw) {
        return matchesAnything(p) || raw.codePoints().noneMatch(Character::isLetterOrDigit);
    }

    private static boolean matchesAnything(Pattern p) {
        if (p == null) return true;
        boolean onlyWildcards = p.pattern().replace(".*", "").replace(".", "").isEmpty(); // a glob of * and ? (or such a regex)
        return onlyWildcards || ANY_TEXT.stream().filter(s -> !s.isEmpty()).allMatch(p::matches);
    }

    /** The regex of a command-line condition written {@code /regex/}, else null (a glob, or none). */
    private static String regex(String commandLine) {
        return commandLine != null && commandLine.length() >= 2 && commandLine.startsWith("/") && commandLine.endsWith("/")
                ? commandLine.substring(1, commandLine.length() - 1) : null;
    }

    private static Pattern commandLine(String text) {
        String regex = regex(text);
        if (regex != null) {
            bounded("command line", regex);
            try {
                return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("command line: not a regular expression (RE2 syntax): " + e.getDescription()
                        + " in /" + shorten(regex) + "/");
            }
        }
        return glob("command line", text);
    }

    /**
     * A glob as an RE2 pattern over the whole value: {@code *} any run of characters, {@code ?} one, everything else
     * itself. No escapes: a backslash is a Windows path's separator ({@code C:\Users\*\AppData\*}); a value with a
     * literal {@code *} or {@code ?} is matched exactly by a quoted regex ({@link #exactly}).
     */
    private static Pattern glob(String what, String text) {
        bounded(what, text);
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /**
     * A command-line pattern that matches exactly {@code text}: the text itself when it holds no {@code *} or
     * {@code ?}, else a regex quoting it ({@code /\Q...\E/}).
     */
    public static String exactly(String text) {
        return text.indexOf('*') < 0 && text.indexOf('?') < 0 && !(text.startsWith("/") && text.endsWith("/"))
                ? text : "/" + Pattern.quote(text) + "/";
    }

    private static void bounded(String what, String text) {
        if (text.length() > MAX_PATTERN) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: a pattern is at most %,d characters, this one %,d", what,
                    MAX_PATTERN, text.length()));
        }
    }

    private static String baseName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
