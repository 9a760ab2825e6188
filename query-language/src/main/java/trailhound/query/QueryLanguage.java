package trailhound.query;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import trailhound.schema.Field;

/**
 * The Trailhound query language: Lucene query syntax over the canonical event fields, turned into
 * queries on the Lucene fields of {@link trailhound.query.IndexFields}.
 *
 * <h2>Terms</h2>
 * A term is {@code field:value}, or free text without a field (below). Field names are the canonical
 * {@code snake_case} names of {@link trailhound.schema.Field}, case-insensitive, plus these
 * aliases, each the OR of its fields:
 * <ul>
 *   <li>{@code ip} = local_ip, remote_ip, logon_source_ip
 *   <li>{@code hash} = hash_md5, hash_sha1, hash_sha256
 *   <li>{@code key_value} = registry_key, registry_value_name, registry_value_data
 *   <li>{@code path} = process_path, parent_path, file_path, file_new_path, image_path,
 *       target_process_path
 *   <li>{@code port} = local_port, remote_port
 * </ul>
 * Values are case-insensitive. {@code NOT alias:x} negates the whole disjunction ("none of them").
 *
 * <h2>Free text</h2>
 * A word or quoted phrase without a field searches the text fields of {@link #freeTextFields()}
 * (every path, the command lines, users, hashes, registry key and value, the DNS query name):
 * {@code powershell} means {@code (process_path:*powershell* OR parent_path:*powershell* OR ...)},
 * contains on each field, case-insensitive; {@code "net user"} contains the whole phrase (its spaces
 * and any {@code * ?} taken literally). A word with wildcards or a {@code /regex/} means what it
 * means as a value, on each of those fields: {@code *.ps1} ends with {@code .ps1},
 * {@code invoke-*} starts with {@code invoke-}, {@code *} is "has one of the fields". Free text
 * combines like any term: {@code mimikatz AND NOT user:system}, {@code type:process "-enc"} (a
 * leading {@code -} is NOT, so {@code -enc} unquoted means "without enc"). A range needs a field.
 * Text with a {@code :} reads as {@code field:value}, so quote it: {@code "c:\\windows\\temp"},
 * {@code "http://evil.example"}.
 *
 * <h2>Value forms</h2>
 * <table>
 *   <caption>what a value means, by form</caption>
 *   <tr><th>form</th><th>meaning</th><th>fields</th></tr>
 *   <tr><td>{@code x}, {@code "x y"}</td><td>equals (a quoted phrase is one exact value, spaces
 *       and {@code * ?} included)</td><td>all</td></tr>
 *   <tr><td>{@code x*}</td><td>starts with</td><td>all but ts</td></tr>
 *   <tr><td>{@code *x*}</td><td>contains</td><td>keyword</td></tr>
 *   <tr><td>{@code *x}</td><td>ends with</td><td>keyword</td></tr>
 *   <tr><td>{@code a*b?c}</td><td>glob: {@code *} any run, {@code ?} one character</td><td>keyword</td></tr>
 *   <tr><td>{@code /re/}</td><td>the whole value matches the regex (Lucene RegExp syntax)</td><td>keyword</td></tr>
 *   <tr><td>{@code *}</td><td>the event has the field</td><td>all</td></tr>
 *   <tr><td>{@code [a TO b]}, {@code {a TO b}}, {@code [a TO *]}</td><td>range, {@code [ ]}
 *       inclusive, {@code { }} exclusive, {@code *} open</td><td>number, time, ip (keyword, id: by
 *       term order)</td></tr>
 *   <tr><td>{@code >x}, {@code >=x}, {@code <x}, {@code <=x}</td><td>comparisons</td><td>number,
 *       time, ip</td></tr>
 *   <tr><td>{@code 10.0.0.0/8}, {@code fe80::/10}</td><td>in CIDR block</td><td>ip</td></tr>
 * </table>
 * Field kinds ({@link trailhound.schema.FieldKind}): <b>keyword</b> fields (paths, command lines,
 * users, hashes, registry) take every form. <b>id</b> fields ({@code type}, {@code operation},
 * {@code process_key}, {@code event_uid}, ...) take equals and starts-with only. <b>number</b>
 * fields ({@code pid}, {@code ppid}, ports) take whole numbers. <b>ip</b> fields take IPv4/IPv6
 * addresses. <b>time</b> ({@code ts}) takes UTC ISO-8601 times {@code 2020-10-19},
 * {@code 2020-10-19T07:00}, {@code 2020-10-19T07:00:00Z}, {@code 2020-10-19T07:00:00.123} (an
 * offset like {@code +02:00} is allowed), epoch milliseconds, and {@code now}, {@code now-30s},
 * {@code now-15m}, {@code now-1h}, {@code now-7d}, {@code now-2w}. A time names the whole unit it
 * is written to: {@code ts:2020-10-19} is that day, {@code ts:2020-10-19T07:00} that minute;
 * inclusive range bounds include the whole unit, exclusive ones exclude it
 * ({@code ts:>2020-10-19} starts on the 20th).
 *
 * <h2>Operators and precedence</h2>
 * {@code NOT} (also {@code !} and the prefix {@code -}) binds tightest, then {@code AND}
 * ({@code &&}, {@code +}), then {@code OR} ({@code ||}): {@code a AND b OR c AND NOT d} means
 * {@code (a AND b) OR (c AND NOT d)}. This is ordinary boolean precedence, unlike classic Lucene.
 * Terms side by side without an operator are ANDed. Parentheses group, also after a field:
 * {@code type:(process OR file)}. A query of only negations means "everything except".
 * An empty query matches everything.
 *
 * <h2>Escaping</h2>
 * A backslash makes the next character literal: {@code + - ! ( ) : ^ [ ] " { } ~ * ? \ /}, space.
 * So a literal backslash is written {@code \\}: {@code registry_key:*\\run\\*} contains
 * {@code \run\}; {@code process_path:"c:\\windows\\system32\\cmd.exe"}. Inside quotes only
 * {@code "} and {@code \} need escaping. The words {@code AND OR NOT TO} are operators: quote
 * them to search for them as values ({@code user:"AND"}). For convenience a {@code :} after the field's colon
 * and a {@code /} inside a value need no escape: {@code ts:>2020-10-19T07:00},
 * {@code remote_ip:fe80::1}, {@code remote_ip:10.0.0.0/8}, <code>process_path:&#42;/tmp/&#42;</code>.
 *
 * <h2>Examples</h2>
 * <pre>
 * process_name:powershell.exe AND command_line:*-enc* AND NOT user:system
 * mimikatz OR "sekurlsa::logonpasswords"
 * remote_ip:10.0.0.0/8 AND remote_port:[1 TO 1023]
 * ts:[2020-10-19T07:00 TO now] AND type:network
 * file_path:/.*\.ps1/ OR hash:44d88612fea8a8f36de82e1278abb02f
 * </pre>
 *
 * <h2>Limits</h2>
 * A query holds at most {@value #MAX_LENGTH} characters and nests parentheses at most
 * {@value #MAX_NESTING} deep; a regex holds at most {@value #MAX_REGEX_LENGTH} characters, and
 * a regex or glob whose automaton would be too large ({@code (a|b)*a(a|b){20}},
 * {@code a{1,1000}{1,1000}}) is refused, as is a query of more than {@value #MAX_REGEX_TERMS} regexes
 * (or wildcards and contains terms without three plain characters in a row; a bare term counting
 * once per free-text field). Each is a {@link QuerySyntaxException} naming the limit,
 * checked before anything recurses over the text.
 *
 * <h2>Errors</h2>
 * Every problem is a {@link QuerySyntaxException} naming the 1-based column, and the field and
 * the expected form where relevant. Boosts ({@code ^2}) are accepted and ignored by the index's
 * newest-first order; fuzzy ({@code ~}) and proximity searches are errors.
 *
 * <p>Contains, ends-with, glob and regex terms become {@link ValuePatternQuery} leaves, which the
 * index resolves; the other queries run on any Lucene index following
 * {@link trailhound.query.IndexFields}.
 *
 * <p>Immutable and thread-safe.
 */
public final class QueryLanguage {
    /** The longest query text accepted, in characters: room for an exact Windows command line (32,767) escaped. */
    public static final int MAX_LENGTH = 100_000;
    /** The deepest nesting of parentheses accepted (Lucene's parser recurses once per level). */
    public static final int MAX_NESTING = 64;
    /** The longest regex ({@code /re/}) accepted, in characters. */
    public static final int MAX_REGEX_LENGTH = 1_000;
    /**
     * The most scanning leaves one query may hold: regexes, and wildcards or contains terms without
     * three plain characters in a row ({@code a?b*c}, {@code *ab*}), a bare term counting once per
     * free-text field. Each is matched against every value of its field, tens of milliseconds on a
     * large endpoint, so a thousand of them held a core for half a minute.
     */
    public static final int MAX_REGEX_TERMS = 64;

    private static final QueryLanguage SYSTEM = new QueryLanguage(Clock.systemUTC());

    private final Clock clock;

    private QueryLanguage(Clock clock) {
        this.clock = clock;
    }

    /**
     * The fields a term without a field searches (free text), in the order their clauses are built;
     * all {@link trailhound.schema.FieldKind#KEYWORD}.
     */
    public static List<Field> freeTextFields() {
        return QueryFields.FREE_TEXT;
    }

    /**
     * Every field name the language accepts: the canonical fields in schema order, then the aliases
     * ({@code ip}, {@code hash}, ...) by name.
     */
    public static List<String> fieldNames() {
        return List.copyOf(QueryFields.knownNames());
    }

    /** The fields a name stands for (an alias: several; case-insensitive); empty for a name the language does not know. */
    public static java.util.Optional<List<Field>> fields(String name) {
        return QueryFields.resolve(name);
    }

    /** Parses query text with relative times ({@code now-1h}) read from the system clock. */
    public static Query parse(String text) {
        return SYSTEM.query(text);
    }

    /** A query language reading relative times ({@code now}) from the given clock. */
    public static QueryLanguage withClock(Clock clock) {
        return new QueryLanguage(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The Lucene query for the text; blank text matches all events.
     *
     * @throws QuerySyntaxException when the text is not a valid query, with the column
     */
    public Query query(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return new MatchAllDocsQuery();
        }
        Query query = new SchemaQueryParser(QueryText.of(text), clock).parseAll();
        int scanning = scanningLeaves(query);
        if (scanning > MAX_REGEX_TERMS) {
            throw new QuerySyntaxException("the query holds " + scanning + " regular expressions or patterns without three plain"
                    + " characters in a row (each reads every value of its field); at most " + MAX_REGEX_TERMS
                    + " (QueryLanguage.MAX_REGEX_TERMS), a bare term counting once per free-text field", 1, null);
        }
        return query;
    }

    /**
     * The message for a query Lucene refuses as too broad (IndexSearcher.TooManyClauses: many OR-ed
     * words, or short ones each matching many values): the user's to narrow, not a server error.
     */
    public static String tooBroad() {
        return "the query expands to more than " + org.apache.lucene.search.IndexSearcher.getMaxClauseCount()
                + " terms in the index (many OR-ed words, or very short ones, each matching many values): use fewer or longer words";
    }

    private static int scanningLeaves(Query q) {
        if (q instanceof ValuePatternQuery p) {
            return p.requiredLiterals().stream().anyMatch(literal -> literal.codePointCount(0, literal.length()) >= 3) ? 0 : 1;
        }
        if (q instanceof org.apache.lucene.search.BooleanQuery b) {
            int n = 0;
            for (org.apache.lucene.search.BooleanClause c : b.clauses()) n += scanningLeaves(c.query());
            return n;
        }
        if (q instanceof org.apache.lucene.search.ConstantScoreQuery c) return scanningLeaves(c.getQuery());
        if (q instanceof org.apache.lucene.search.BoostQuery b) return scanningLeaves(b.getQuery());
        return 0;
    }
}
