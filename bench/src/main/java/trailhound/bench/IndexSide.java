package trailhound.bench;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.index.Distribution;
import trailhound.index.EventIndex;
import trailhound.index.EventPage;
import trailhound.index.ProcessView;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;

/**
 * The index side of each query, through the public API the web app and the CLI use: the query
 * text is parsed on every run (parsing is part of answering), counts are exact.
 */
final class IndexSide {
    static final int PAGE = 50;
    static final int HISTORY = 100;
    static final int EXPORT_ROWS = 10_000;

    private final EventIndex index;

    IndexSide(EventIndex index) {
        this.index = index;
    }

    Answer run(QueryCase q) throws Exception {
        return switch (q.kind()) {
            case COUNT -> Answer.of(index.count(parse(q.indexQuery())));
            case DISTRIBUTION -> {
                Distribution d = index.distribution(q.indexQuery() == null ? null : parse(q.indexQuery()));
                yield Answer.distribution(d.total(), d.types());
            }
            case PROCESS -> {
                ProcessView view = index.process(q.indexQuery(), HISTORY, 0).orElse(null); // as SQLite: count, history, process and parent
                yield Answer.of(view == null ? 0 : view.historyTotal());
            }
            case PAGE -> {
                EventPage page = index.search(parse(q.indexQuery()), PAGE, null);
                yield Answer.of(page.total());
            }
            case HISTOGRAM -> Answer.histogram(index.histogram(q.indexQuery() == null ? null : parse(q.indexQuery()), null, null));
            case EXPORT -> {
                EventPage page = index.search(parse(q.indexQuery()), EXPORT_ROWS, null);
                List<Map<String, String>> rows = page.events().stream().map(Event::toDisplayMap).toList();
                yield Answer.of(ExcelExport.write(rows, OutputStream.nullOutputStream()));
            }
        };
    }

    private static Query parse(String text) {
        return QueryLanguage.parse(text == null ? "" : text);
    }
}
