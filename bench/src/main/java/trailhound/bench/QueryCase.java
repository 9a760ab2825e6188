package trailhound.bench;

import java.util.List;

/**
 * One query of the suite, in both languages: the index side as query-language text (or a process
 * key for {@link Kind#PROCESS}), the SQLite side as SQL with its parameters, and the issue's
 * targets for it (null: none).
 *
 * @param targetMedianMs the index median must be below this
 * @param targetRatio SQLite median / index median must be at least this
 */
record QueryCase(String name, Kind kind, String indexQuery, String sql, List<Object> params,
        Double targetMedianMs, Double targetRatio) {

    enum Kind {
        /** Exact number of matching events. */
        COUNT,
        /** Counts per type (and type/operation); indexQuery null means the whole endpoint. */
        DISTRIBUTION,
        /** A process's first 100 events by time, with their fields, and the total. */
        PROCESS,
        /** The newest 50 matching events with their fields, and the total. */
        PAGE,
        /** The newest 10,000 matching events written to an .xlsx workbook. */
        EXPORT,
        /**
         * Counts per time bucket over the matching events' own range (indexQuery null: the whole
         * endpoint); the SQL is {@code SELECT (e.ts / ?) * ? AS bucket, count(*) FROM ... GROUP BY bucket}
         * and its FROM ... WHERE part also gives the range.
         */
        HISTOGRAM
    }

    QueryCase withTargets(Double medianMs, Double ratio) {
        return new QueryCase(name, kind, indexQuery, sql, params, medianMs, ratio);
    }
}
