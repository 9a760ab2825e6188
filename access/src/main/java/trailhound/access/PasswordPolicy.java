package trailhound.access;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/*
 * At least 12 characters (NIST SP 800-63B asks 8 at least and a blocklist; 12 is OWASP's advice for
 * accounts this sensitive) and not a common password: the bundled list (common-passwords.txt, from
 * SecLists' 10k-most-common, MIT) is checked against the whole password and against its core with
 * leading and trailing digits and symbols removed, so "Password2024!" counts as "password". Then
 * zxcvbn (Dropbox's estimator, the zxcvbn4j port) must guess it to need 10^10 guesses at least (its
 * score 4): repeats ("passwordpassword"), sequences ("123456789012"), keyboard walks, l33t spellings
 * ("P@ssw0rd2026!!"), dates and the user's own name or "trailhound" fall short of that, while a few
 * unrelated words pass. No composition rules: they make passwords harder to remember, not to guess.
 */
final class PasswordPolicy {
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 1_024;
    private static final double MIN_GUESSES = 1e10;
    /** zxcvbn's advice: its matching grows with the length, and the first 100 characters tell enough. */
    private static final int ESTIMATED_PREFIX = 100;
    private static final Zxcvbn ESTIMATOR = new Zxcvbn();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Set<String> COMMON = load();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordPolicy() {}

    /** @throws AccessException saying what is wrong, without echoing the password */
    static void check(String user, String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new AccessException("a password needs at least " + MIN_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String core = lower.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        if (COMMON.contains(lower) || (core.length() >= 4 && COMMON.contains(core)) || lower.equals(user.toLowerCase(Locale.ROOT))
                || core.equals(user.toLowerCase(Locale.ROOT)) || lower.chars().distinct().count() <= 2) {
            throw new AccessException("that password is too common or too easy to guess; choose another (a few unrelated words work well)");
        }
        if (password.length() > MAX_LENGTH) throw new AccessException("a password has at most " + MAX_LENGTH + " characters");
        String estimated = password.length() <= ESTIMATED_PREFIX ? password : password.substring(0, ESTIMATED_PREFIX);
        Strength strength = measure(estimated, user);
        // zxcvbn finds a known word only where it stands alone ("Trailhound-Admin-2026" passed it), so what
        // is left without the user's name and the product's (see withoutKnownWords) must stand on its own too
        String rest = withoutKnownWords(estimated, user);
        if (!rest.equals(estimated)) {
            Strength withoutNames = measure(rest, user);
            if (withoutNames.getGuesses() < strength.getGuesses()) strength = withoutNames;
        }
        if (strength.getGuesses() < MIN_GUESSES) {
            String warning = strength.getFeedback().getWarning(Locale.ENGLISH);
            throw new AccessException("that password is too easy to guess" + (warning == null || warning.isBlank() ? ""
                    : " (" + warning.strip().replaceAll("\\.$", "").toLowerCase(Locale.ROOT) + ")")
                    + "; choose another (a few unrelated words work well)");
        }
    }

    private static Strength measure(String password, String user) {
        synchronized (ESTIMATOR) {
            return ESTIMATOR.measure(password, List.of(user, "trailhound", "admin", "administrator"));
        }
    }

    /**
     * The password without the user's name (as a word of its own, 3 letters at least) and without
     * "trailhound", also where they are spelt with digits or symbols for letters ("Tra1lh0und"): the
     * spans are found in a de-l33ted copy (one character for one, so positions carry over) and cut
     * from the password itself.
     */
    static String withoutKnownWords(String password, String user) {
        List<java.util.regex.Pattern> words = new java.util.ArrayList<>(List.of(java.util.regex.Pattern.compile("trailhound")));
        if (user.length() >= 3) {
            words.add(java.util.regex.Pattern.compile("(?<!\\p{L})" + java.util.regex.Pattern.quote(user.toLowerCase(Locale.ROOT))
                    + "(?!\\p{L})"));
        }
        boolean[] cut = new boolean[password.length()];
        for (String oneAs : new String[] {"i", "l"}) {
            String plain = deLeet(password.toLowerCase(Locale.ROOT), oneAs);
            for (java.util.regex.Pattern w : words) {
                java.util.regex.Matcher m = w.matcher(plain);
                while (m.find()) java.util.Arrays.fill(cut, m.start(), m.end(), true);
            }
        }
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < password.length(); i++) if (!cut[i]) rest.append(password.charAt(i));
        return rest.toString();
    }

    private static String deLeet(String lower, String oneAs) {
        StringBuilder sb = new StringBuilder(lower.length());
        for (char c : lower.toCharArray()) {
            sb.append(switch (c) {
                case '0' -> 'o';
                case '1', '!', '|' -> oneAs.charAt(0);
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7', '+' -> 't';
                default -> c;
            });
        }
        return sb.toString();
    }

    /** 20 characters from a 56-letter alphabet without look-alikes: about 116 bits. */
    static String generate() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) throw new IllegalStateException("common-passwords.txt is missing from the access module");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) words.add(line.strip().toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
