package trailhound.evtx;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;

/**
 * An immutable, insertion-ordered attribute map backed by two arrays. Elements of Event XML carry
 * zero to four attributes, so a linear scan beats hashing, and one small object per element keeps
 * a record's tree cheap to build (this is on the reader's hot path).
 */
final class AttributeMap extends AbstractMap<String, String> implements SequencedMap<String, String> {
    static final AttributeMap EMPTY = new AttributeMap(new String[0], new String[0]);

    private final String[] keys;
    private final String[] values;

    /** Takes ownership of the arrays: keys distinct, neither array nor any entry null. */
    AttributeMap(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * The first {@code count} pairs of the arrays (which it may keep); a repeated name keeps its first
     * place and its last value, as a map would.
     */
    static AttributeMap of(String[] keys, String[] values, int count) {
        if (count == 0) {
            return EMPTY;
        }
        int n = 0;
        outer:
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < n; j++) {
                if (keys[j].equals(keys[i])) {
                    values[j] = values[i];
                    continue outer;
                }
            }
            keys[n] = keys[i];
            values[n] = values[i];
            n++;
        }
        return n == keys.length
                ? new AttributeMap(keys, values)
                : new AttributeMap(Arrays.copyOf(keys, n), Arrays.copyOf(values, n));
    }

    /** {@code map} itself when it is an AttributeMap, else an ordered copy of it. */
    static AttributeMap copyOf(Map<String, String> map) {
        if (map instanceof AttributeMap own) {
            return own;
        }
        if (map.isEmpty()) {
            return EMPTY;
        }
        String[] k = new String[map.size()];
        String[] v = new String[k.length];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            k[i] = Objects.requireNonNull(e.getKey(), "attribute name");
            v[i] = Objects.requireNonNull(e.getValue(), () -> "value of attribute " + e.getKey());
            i++;
        }
        return new AttributeMap(k, v);
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public String get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    @Override
    public SequencedMap<String, String> reversed() {
        int n = keys.length;
        String[] k = new String[n];
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            k[i] = keys[n - 1 - i];
            v[i] = values[n - 1 - i];
        }
        return new AttributeMap(k, v);
    }
}
