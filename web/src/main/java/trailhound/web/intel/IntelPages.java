package trailhound.web.intel;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.Candidates;
import trailhound.access.EvidenceIndicators;
import trailhound.access.Intel;
import trailhound.access.IocJson;
import trailhound.access.Scope;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.store.EvidenceItems;
import trailhound.store.Iocs.Ioc;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Intel: IOCs, their scans, exports and imports.
 *
 * <ul>
 *   <li>{@code GET /intel}: every IOC; Add &gt; Evidence Based IOC ({@code GET /intel/new}: pick saved
 *       evidence items, then tick indicators in a table of one row per distinct value their events offer,
 *       {@link Candidates}: type, field, value, how many of the items' events carry it and how many events it
 *       matches, the distinctive ones ticked and the common ones not ({@link EvidenceIndicators}); AND or OR;
 *       Generate: {@code POST /intel/new}); Import
 *       ({@code GET/POST /intel/import}, an OpenIOC or STIX document pasted or uploaded, in UTF-8 or UTF-16, at most
 *       {@link #MAX_DOCUMENT} bytes; the POST answers 303 to the IOC's page, which then lists what was not imported).
 *   <li>{@code GET /intel/{id}}: the tree, the query it runs, Scan ({@code POST /intel/{id}/scan}: the
 *       count per endpoint and the newest matches, each endpoint's "Save matches as evidence",
 *       {@code POST /intel/{id}/evidence}), the exports, the alert switch ({@code POST /intel/{id}/alert})
 *       and Delete ({@code POST /intel/{id}/delete}).
 *   <li>JSON: {@code GET /api/v1/iocs}; {@code POST /api/v1/iocs} ({@code {"name": N, "from_evidence": [ids]}}: the
 *       items' distinctive indicators as the picker ticks them, a process's image hash and path and a process
 *       item's history's unless {@code "process_indicators": ["hash", "path", "command_line", "history"]} says which;
 *       or {@code {"name": N, "tree": {...}}} (the shape of {@link IocJson}), optional {@code "alert": true};
 *       201 with the IOC; from evidence offering more than one IOC holds ({@link Intel#maxSearches} searches), the
 *       first that fit, with {@code "left_out": N} and {@code "left_out_reason"}; a tree of more, 400 saying so in items);
 *       {@code GET /api/v1/iocs/{id}}; {@code GET /api/v1/iocs/{id}/openioc} (XML) and
 *       {@code /stix} (a bundle); {@code POST /api/v1/iocs/{id}/scan} (counts and matches per endpoint);
 *       {@code POST /api/v1/iocs/{id}/alert} ({@code {"alert": true}}); {@code POST /api/v1/iocs/{id}/evidence}
 *       ({@code {"endpoint": E}}: the matches there saved as an evidence item); {@code POST /api/v1/iocs/import}
 *       (the document as the body; 201 with the IOC and {@code not_imported}, 422 when nothing could be);
 *       {@code DELETE /api/v1/iocs/{id}}.
 * </ul>
 * Who may do what is the access layer's ({@link Intel}); every change and scan is audited there.
 */
public final class IntelPages {
    static final String PATH = "/intel";
    /** The largest document Import takes, in bytes: one limit for the page and the API, said one way ({@link #TOO_LARGE}). */
    public static final int MAX_DOCUMENT = 4_000_000;
    /** Why a document past {@link #MAX_DOCUMENT} is refused, on the page and in the API alike. */
    public static final String TOO_LARGE = "the document is larger than " + MAX_DOCUMENT / 1_000_000 + " MB, the most Import takes:"
            + " split it into several documents and import each";

    private final WebContext ctx;
    /**
     * What each import just made, for the page it redirects to (POST, then 303 to a GET: a reload shows
     * the result again and imports nothing): by a random token, the importing user's only, kept an hour.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, ImportResult> results = com.github.benmanes.caffeine.cache.Caffeine
            .newBuilder().maximumSize(1_000).expireAfterWrite(java.time.Duration.ofHours(1)).build();

    /** One import's outcome, as its result page shows it. */
    private record ImportResult(String user, long ioc, List<String> notImported, List<Ioc> made) {}

    private IntelPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        IntelPages p = new IntelPages(ctx);
        routes.get(PATH, Action.VIEW, p::list);
        routes.get(PATH + "/new", Action.INVESTIGATE, p::newForm);
        routes.post(PATH + "/new", Action.INVESTIGATE, p::generate);
        routes.get(PATH + "/import", Action.INVESTIGATE, http -> p.importForm(http, null, HttpStatus.OK));
        routes.post(PATH + "/import", Action.INVESTIGATE, p::importFromForm);
        routes.get(PATH + "/{id}", Action.VIEW, p::showWithImport);
        routes.post(PATH + "/{id}/scan", Action.INVESTIGATE, p::scanFromForm);
        routes.post(PATH + "/{id}/alert", Action.INVESTIGATE, p::alertFromForm);
        routes.post(PATH + "/{id}/evidence", Action.INVESTIGATE, p::saveMatchesFromForm);
        routes.post(PATH + "/{id}/delete", Action.INVESTIGATE, p::deleteFromForm);
        routes.get(PATH + "/{id}/openioc.xml", Action.VIEW, p::openIoc);
        routes.get(PATH + "/{id}/stix.json", Action.VIEW, p::stix);
        routes.get("/api/v1/iocs", Action.VIEW, p::apiList);
        routes.post("/api/v1/iocs", Action.INVESTIGATE, p::apiCreate);
        routes.post("/api/v1/iocs/import", Action.INVESTIGATE, p::apiImport);
        routes.get("/api/v1/iocs/{id}", Action.VIEW, p::apiFind);
        routes.delete("/api/v1/iocs/{id}", Action.INVESTIGATE, p::apiDelete);
        routes.get("/api/v1/iocs/{id}/openioc", Action.VIEW, p::openIoc);
        routes.get("/api/v1/iocs/{id}/stix", Action.VIEW, p::stix);
        routes.post("/api/v1/iocs/{id}/scan", Action.INVESTIGATE, p::apiScan);
        routes.post("/api/v1/iocs/{id}/alert", Action.INVESTIGATE, p::apiAlert);
        routes.post("/api/v1/iocs/{id}/evidence", Action.INVESTIGATE, p::apiSaveMatches);
    }

    private void list(Context http) {
        Scope scope = ctx.scope(http);
        ctx.render(http, "intel/list.jte", new IntelListPage(ctx.chrome(http, "Intel"), scope.intel().list(), scope.may(Action.INVESTIGATE)));
    }

    /** Step one: pick evidence items; step two (items picked): a type and value per event, AND/OR, a name. */
    private void newForm(Context http) throws java.io.IOException {
        boolean nothingPicked = http.queryParam("picking") != null && http.queryParams("evidence").isEmpty(); // "Use these items" with none ticked
        renderNew(http, http.queryParams("evidence"), nothingPicked ? "Tick at least one saved evidence item, then Use these items." : null,
                HttpStatus.OK);
    }

    private void renderNew(Context http, List<String> picked, String error, HttpStatus status) throws java.io.IOException {
        Scope scope = ctx.scope(http);
        List<EvidenceItems.Item> items = scope.savedEvidence().list(EvidenceItems.Filter.ALL).stream()
                .filter(i -> i.kind() == EvidenceItems.Kind.EVENT || i.kind() == EvidenceItems.Kind.PROCESS || i.kind() == EvidenceItems.Kind.FILE)
                .toList();
        List<Long> ids = new ArrayList<>();
        for (String id : picked) ids.add(parseId(id, "evidence item"));
        // one row per distinct indicator, each counted: what it would match is seen before it is saved
        EvidenceIndicators.Offers offers = ids.isEmpty() ? new EvidenceIndicators.Offers(List.of(), 0)
                : scope.intel().offers(ids, Candidates.DEFAULT_PROCESS, true);
        http.status(status);
        ctx.render(http, "intel/new.jte", new NewIocPage(ctx.chrome(http, "New evidence based IOC"), items, ids, offers.offers(),
                offers.events(), error, "1".equals(http.queryParam("all"))));
    }

    private void generate(Context http) throws java.io.IOException {
        List<String> picked = http.formParams("evidence");
        List<IocTree> items = new ArrayList<>();
        try {
            List<String[]> chosen = new ArrayList<>(); // (type:value, condition)
            if (!http.formParams("pick").isEmpty() || http.formParam("picker") != null) { // the picker: a ticked row's index, its item and condition
                for (String k : http.formParams("pick")) {
                    String item = http.formParam("item-" + k);
                    if (item != null) chosen.add(new String[] {item, http.formParam("condition-" + k)});
                }
            } else { // a form of one indicator per event, item and condition side by side (scripts written for it)
                List<String> item = http.formParams("item");
                List<String> conditions = http.formParams("condition");
                for (int i = 0; i < item.size(); i++) chosen.add(new String[] {item.get(i), i < conditions.size() ? conditions.get(i) : "is"});
            }
            for (String[] pick : chosen) {
                String c = pick[0];
                if (c.isEmpty()) continue; // "leave out"
                int colon = c.indexOf(':');
                IndicatorType type = colon < 0 ? null : IndicatorType.byId(c.substring(0, colon)).orElse(null);
                if (type == null) throw new IllegalArgumentException("unknown indicator '" + c + "'");
                IocTree.Condition condition = IocTree.Condition.byId(pick[1] == null ? "is" : pick[1]).orElse(IocTree.Condition.IS);
                if (type.exactOnly()) condition = IocTree.Condition.IS;
                IocTree.Item item = new IocTree.Item(type, condition, c.substring(colon + 1));
                if (!items.contains(item)) items.add(item);
            }
            if (items.isEmpty()) throw new IllegalArgumentException("pick at least one indicator");
            IocTree.Operator op = "AND".equals(http.formParam("operator")) ? IocTree.Operator.AND : IocTree.Operator.OR;
            List<Long> evidence = new ArrayList<>();
            for (String id : picked) evidence.add(parseId(id, "evidence item"));
            Ioc ioc = ctx.scope(http).intel().createFromEvidence(http.formParam("name"), items.size() == 1 ? items.getFirst()
                    : new IocTree.Group(op, items), http.formParam("alert") != null, evidence);
            http.redirect(PATH + "/" + ioc.id(), HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException | AccessException e) {
            if (e instanceof AccessException a && a.isUnknown()) throw a;
            renderNew(http, picked, capitalised(e.getMessage()) + ".", HttpStatus.BAD_REQUEST);
        }
    }

    private void importForm(Context http, String error, HttpStatus status) {
        http.status(status);
        ctx.render(http, "intel/import.jte", new ImportPage(ctx.chrome(http, "Import IOC"), error));
    }

    private void importFromForm(Context http) {
        byte[] doc;
        var upload = http.uploadedFile("file");
        try {
            if (upload != null && upload.size() > 0) {
                if (upload.size() > MAX_DOCUMENT) throw new IllegalArgumentException(TOO_LARGE);
                try (var in = upload.content()) {
                    doc = in.readNBytes(MAX_DOCUMENT + 1);
                }
            } else {
                String text = http.formParam("document");
                if (text == null || text.isBlank()) throw new IllegalArgumentException("paste an OpenIOC or STIX document, or choose a file");
                doc = text.getBytes(StandardCharsets.UTF_8);
            }
            Imported imported = importDocument(http, doc, http.formParam("name"));
            String token = java.util.UUID.randomUUID().toString();
            results.put(token, new ImportResult(ctx.scope(http).caller().user(), imported.ioc().id(), imported.notImported(), imported.all()));
            http.redirect(PATH + "/" + imported.ioc().id() + "?imported=" + token, HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException | java.io.IOException | AccessException e) {
            if (e instanceof AccessException a && a.isUnknown()) throw a;
            importForm(http, capitalised(e.getMessage()) + ".", HttpStatus.UNPROCESSABLE_CONTENT);
        }
    }

    /** The IOC page; after an import ({@code ?imported=} its token), with what the document held that was not imported. */
    private void showWithImport(Context http) {
        String token = http.queryParam("imported");
        ImportResult result = token == null ? null : results.getIfPresent(token);
        boolean mine = result != null && result.ioc() == id(http) && result.user().equals(ctx.scope(http).caller().user());
        show(http, null, mine ? result.notImported() : List.of(), null, HttpStatus.OK, mine ? result.made() : List.of());
    }

    /** The IOC made, the others when the document was split ({@link #pieces}), and what was left out. */
    record Imported(Ioc ioc, List<Ioc> all, List<String> notImported) {}

    /** Reads an OpenIOC (XML) or STIX (JSON) document and stores what it holds; @throws IllegalArgumentException when nothing could be. */
    private Imported importDocument(Context http, byte[] doc, String name) {
        if (doc.length > MAX_DOCUMENT) throw new IllegalArgumentException(TOO_LARGE);
        java.nio.charset.Charset charset = IocImport.charset(doc);
        IocImport.notText(doc, charset).ifPresent(why -> {
            throw new IllegalArgumentException("the file is not an OpenIOC (XML) or STIX 2.1 (JSON) text document: " + why
                    + "; choose the .ioc, .xml or .json file itself (not an archive or a program)");
        });
        String text = new String(doc, charset);
        if (text.replace("\uFEFF", "").isBlank()) {
            throw new IllegalArgumentException("the document is empty: give an OpenIOC (XML) or STIX 2.1 (JSON) document");
        }
        // the first character tells XML from JSON, read in the file's own encoding (a UTF-16 OpenIOC is XML too)
        boolean xml = text.replace("\uFEFF", "").stripLeading().startsWith("<");
        IocImport in = xml ? OpenIoc.read(doc) : Stix.read(text.replace("\uFEFF", "").getBytes(StandardCharsets.UTF_8));
        if (in.tree() == null) {
            throw new IllegalArgumentException(in.notImported().isEmpty()
                    ? "no indicators found in it: " + (xml ? "an OpenIOC document lists them as <Indicator> elements under <criteria>"
                            : "a STIX document holds them as objects of type indicator")
                    : "nothing in the document could be imported: " + String.join("; ", in.notImported()));
        }
        String chosen = name == null || name.isBlank() ? Intel.importedName(in.name()) : name;
        List<Ioc> all = new ArrayList<>();
        for (IocImport.Part part : in.parts()) {
            // several detections: one IOC each, named after it (and the name given, when one was)
            String base = in.parts().size() == 1 ? chosen : name == null || name.isBlank() ? Intel.importedName(part.name()) : name.strip() + ": " + Intel.importedName(part.name());
            if (in.parts().size() > 1 && base.length() > Intel.MAX_NAME - 20) base = base.substring(0, Intel.MAX_NAME - 20); // room for " (2 of 3)"
            List<IocTree> pieces = pieces(part.tree());
            for (int i = 0; i < pieces.size(); i++) {
                String n = pieces.size() == 1 ? base : base + " (" + (i + 1) + " of " + pieces.size() + ")";
                all.add(ctx.scope(http).intel().create(n, pieces.get(i), xml ? "openioc" : "stix", false));
            }
        }
        Ioc ioc = all.getFirst();
        if (!in.notImported().isEmpty()) {
            ctx.scope(http).audit("ioc.import", null, trailhound.access.AuditLog.OK, "IOC " + ioc.id() + ": " + in.notImported().size()
                    + " parts not imported");
        }
        return new Imported(ioc, all, in.notImported());
    }

    /**
     * The tree as IOCs whose queries the query language takes: an OR too long for one (a feed of 2,500
     * hashes) in several ORs of consecutive parts, each as long as fits (also at most
     * {@link IocJson#MAX_ITEMS} items and {@link Intel#maxSearches} searches), as an OR loses nothing when split; anything else as it is (an AND cannot be split: {@link Intel#create} refuses it if too long).
     */
    static List<IocTree> pieces(IocTree tree) {
        int max = trailhound.query.QueryLanguage.MAX_LENGTH;
        if (tree.toQuery().length() <= max && tree.items().size() <= IocJson.MAX_ITEMS && searchesOrZero(tree) <= Intel.maxSearches()
                || !(tree instanceof IocTree.Group g) || g.operator() != IocTree.Operator.OR) return List.of(tree);
        List<IocTree> out = new ArrayList<>();
        List<IocTree> piece = new ArrayList<>();
        int length = 2; // the parentheses
        int items = 0;
        int searches = 0;
        for (IocTree part : g.parts()) {
            int more = part.toQuery().length() + 4; // " OR "
            int cost = searchesOrZero(part);
            if (!piece.isEmpty() && (length + more > max || items + part.items().size() > IocJson.MAX_ITEMS
                    || searches + cost > Intel.maxSearches())) {
                out.add(piece.size() == 1 ? piece.getFirst() : new IocTree.Group(IocTree.Operator.OR, List.copyOf(piece)));
                piece.clear();
                length = 2;
                items = 0;
                searches = 0;
            }
            piece.add(part);
            length += more;
            items += part.items().size();
            searches += cost;
        }
        out.add(piece.size() == 1 ? piece.getFirst() : new IocTree.Group(IocTree.Operator.OR, List.copyOf(piece)));
        return out;
    }

    /** {@link Intel#searches}, or 0 for a part the query language refuses (Intel#create says why, in its words). */
    private static int searchesOrZero(IocTree tree) {
        try {
            return Intel.searches(tree);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void show(Context http, Long idOrNull, List<String> notImported, Intel.Scan scan, HttpStatus status) {
        show(http, idOrNull, notImported, scan, status, List.of());
    }

    /** {@code made}: the IOCs an import just made, when it made several (the page lists them); empty otherwise. */
    private void show(Context http, Long idOrNull, List<String> notImported, Intel.Scan scan, HttpStatus status, List<Ioc> made) {
        Scope scope = ctx.scope(http);
        long id = idOrNull != null ? idOrNull : id(http);
        Ioc ioc = scope.intel().find(id).orElseThrow(() -> unknown(id));
        IocTree tree = IocJson.read(ioc.tree());
        http.status(status);
        ctx.render(http, "intel/ioc.jte", new IocPage(ctx.chrome(http, "IOC " + trailhound.web.live.LiveFiles.shownText(ioc.name())), ioc,
                tree, tree.toQuery(), notImported, scan, scope.may(Action.INVESTIGATE), savedNotice(scope, http.queryParam("saved"),
                http.queryParam("matched"), tree.toQuery()), made.size() > 1 ? made : List.of()));
    }

    private void scanFromForm(Context http) throws Exception {
        show(http, null, List.of(), ctx.scope(http).intel().scan(id(http)), HttpStatus.OK);
    }

    private void alertFromForm(Context http) {
        ctx.scope(http).intel().setAlert(id(http), "on".equals(http.formParam("alert")));
        http.redirect(PATH + "/" + id(http), HttpStatus.SEE_OTHER);
    }

    private void saveMatchesFromForm(Context http) throws Exception {
        Intel.SavedMatches saved = ctx.scope(http).intel().saveMatches(id(http), http.formParam("endpoint"));
        http.redirect(PATH + "/" + id(http) + "?saved=" + saved.item().id() + "&matched=" + saved.matched(), HttpStatus.SEE_OTHER);
    }

    /**
     * The notice after Save matches: the item, and when the IOC matched more than an item holds, how many were saved of
     * how many and where the rest are (try-out: 10,000 of 32,977 were saved without a word). Null when nothing was saved.
     */
    private static SavedNotice savedNotice(Scope scope, String savedId, String matchedText, String query) {
        if (savedId == null) return null;
        EvidenceItems.Item item;
        try {
            item = scope.savedEvidence().find(Long.parseLong(savedId)).orElse(null);
        } catch (NumberFormatException | trailhound.access.AccessException e) {
            return null;
        }
        if (item == null) return null;
        long matched;
        try {
            matched = matchedText == null ? item.eventCount() : Long.parseLong(matchedText);
        } catch (NumberFormatException e) {
            matched = item.eventCount();
        }
        String text = (matched > item.eventCount()
                ? "the newest " + Format.count(item.eventCount()) + " of the " + Format.count(matched) + " events it matches on "
                        + item.endpoint() + " (an item holds at most " + Format.count(trailhound.access.SavedEvidence.MAX_EVENTS)
                        + " events). All of them: open them on the endpoint's grid and Export the whole result as CSV, or narrow the IOC."
                : Format.count(item.eventCount()) + " events, all it matches on " + item.endpoint() + ".");
        String rest = matched > item.eventCount() ? "/endpoints/" + Format.segment(item.endpoint()) + "/events?q=" + Format.url(query) : null;
        return new SavedNotice(item.id(), text, matched > item.eventCount(), rest);
    }

    private void deleteFromForm(Context http) {
        ctx.scope(http).intel().remove(id(http));
        http.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void openIoc(Context http) {
        Ioc ioc = find(http);
        http.header("Content-Disposition", "attachment; filename=\"ioc-" + ioc.id() + ".ioc\"");
        http.contentType("application/xml; charset=utf-8").result(OpenIoc.write(ioc.name(), ioc.author(),
                java.time.Instant.ofEpochMilli(ioc.createdAt()), IocJson.read(ioc.tree())));
    }

    private void stix(Context http) {
        Ioc ioc = find(http);
        http.header("Content-Disposition", "attachment; filename=\"ioc-" + ioc.id() + ".stix.json\"");
        http.contentType("application/stix+json; charset=utf-8").result(Stix.write(ioc.id(), ioc.name(),
                java.time.Instant.ofEpochMilli(ioc.createdAt()), IocJson.read(ioc.tree())));
    }

    private void apiList(Context http) {
        http.json(Map.of("iocs", ctx.scope(http).intel().list().stream().map(IntelPages::json).toList()));
    }

    private void apiFind(Context http) {
        http.json(json(find(http)));
    }

    private void apiCreate(Context http) throws java.io.IOException {
        JsonNode body = ctx.jsonBody(http);
        String usage = "expected {\"name\": \"...\", \"from_evidence\": [evidence ids], optionally \"process_indicators\": [\"hash\","
                + " \"path\", \"command_line\", \"history\"]} or {\"name\": \"...\", \"tree\": {\"operator\": \"OR\","
                + " \"items\": [{\"type\": \"sha256\", \"condition\": \"is\", \"value\": \"...\"}]}}, optionally \"alert\": true";
        WebContext.knownFields(body, "an IOC", "name", "from_evidence", "process_indicators", "tree", "alert");
        if (!body.path("name").isTextual()) throw new BadRequest(usage + ": 'name' is missing or not a string");
        JsonNode alert = body.path("alert");
        if (!alert.isMissingNode() && !alert.isBoolean()) throw new BadRequest(usage + ": 'alert' must be true or false");
        Intel intel = ctx.scope(http).intel();
        Ioc ioc;
        long leftOut = 0;
        if (body.has("from_evidence")) {
            JsonNode ids = body.get("from_evidence");
            List<Long> list = new ArrayList<>();
            if (!ids.isArray()) throw new BadRequest(usage + ": 'from_evidence' must be a list of evidence ids");
            for (JsonNode n : ids) {
                if (!n.canConvertToLong()) throw new BadRequest(usage + ": 'from_evidence' must be a list of evidence ids");
                list.add(n.asLong());
            }
            java.util.Set<Candidates.ProcessPart> process = java.util.EnumSet.noneOf(Candidates.ProcessPart.class);
            if (body.has("process_indicators")) {
                JsonNode parts = body.get("process_indicators");
                if (!parts.isArray() || parts.isEmpty()) {
                    throw new BadRequest(usage + ": 'process_indicators' must be a list of hash, path, command_line, history");
                }
                for (JsonNode n : parts) {
                    try {
                        process.add(Candidates.ProcessPart.of(n.asText()));
                    } catch (IllegalArgumentException e) {
                        throw new BadRequest(e.getMessage());
                    }
                }
            } else {
                process.addAll(Candidates.DEFAULT_PROCESS);
            }
            Intel.Made made = intel.fromEvidenceMade(body.get("name").asText(), list, process);
            ioc = made.ioc();
            leftOut = made.leftOut();
            if (alert.asBoolean(false)) ioc = intel.setAlert(ioc.id(), true);
        } else if (body.has("tree")) {
            IocTree tree;
            try {
                tree = IocJson.read(body.get("tree"));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(e.getMessage() + "; " + usage);
            }
            ioc = intel.create(body.get("name").asText(), tree, "api", alert.asBoolean(false));
        } else {
            throw new BadRequest(usage + ": give 'from_evidence' or 'tree'");
        }
        Map<String, Object> answer = new LinkedHashMap<>(json(ioc));
        if (leftOut > 0) {
            answer.put("left_out", leftOut);
            answer.put("left_out_reason", String.format(java.util.Locale.ROOT, "one IOC makes at most %,d searches (an item one or more);"
                    + " the evidence offers %,d more distinctive indicators, left out: pick them on Intel > Add > Evidence Based IOC"
                    + " for another IOC", Intel.maxSearches(), leftOut));
        }
        http.status(HttpStatus.CREATED).json(answer);
    }

    private void apiImport(Context http) {
        try {
            Imported imported = importDocument(http, http.bodyAsBytes(), http.queryParam("name"));
            Map<String, Object> out = json(imported.ioc());
            if (imported.all().size() > 1) { // split: this is the first, "iocs" lists them all
                out.put("iocs", imported.all().stream().map(i -> Map.of("id", i.id(), "name", i.name())).toList());
            }
            out.put("not_imported", imported.notImported());
            http.status(HttpStatus.CREATED).json(out);
        } catch (IllegalArgumentException e) {
            http.status(HttpStatus.UNPROCESSABLE_CONTENT).json(Map.of("error", e.getMessage()));
        }
    }

    private void apiDelete(Context http) {
        ctx.scope(http).intel().remove(id(http));
        http.status(HttpStatus.NO_CONTENT);
    }

    private void apiScan(Context http) throws Exception {
        Intel.Scan scan = ctx.scope(http).intel().scan(id(http));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ioc", json(scan.ioc()));
        out.put("query", scan.query());
        out.put("total", scan.total());
        out.put("limit", Intel.SCAN_LIMIT);
        List<Map<String, Object>> endpoints = new ArrayList<>();
        scan.counts().forEach((endpoint, count) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("endpoint", endpoint);
            e.put("count", count);
            List<Map<String, String>> events = scan.hits().stream().filter(h -> h.endpoint().equals(endpoint)).map(h -> h.event().toDisplayMap()).toList();
            e.put("events", events);
            e.put("search", "/endpoints/" + trailhound.web.Format.segment(endpoint) + "/events?q=" + trailhound.web.Format.url(scan.query()));
            // fifth try-out: an endpoint whose matches were all older than the newest listed showed an empty list unsaid
            if (events.size() < count) {
                e.put("note", (events.isEmpty() ? "its matches are" : "its other " + String.format(java.util.Locale.ROOT, "%,d", count - events.size())
                        + " matches are") + " older than the newest " + String.format(java.util.Locale.ROOT, "%,d", scan.hits().size())
                        + " listed over all endpoints: 'search' finds them all");
            }
            endpoints.add(e);
        });
        out.put("endpoints", endpoints);
        http.json(out);
    }

    private void apiAlert(Context http) {
        JsonNode alert = ctx.jsonBody(http).path("alert");
        if (!alert.isBoolean()) throw new BadRequest("expected {\"alert\": true} or {\"alert\": false}");
        http.json(json(ctx.scope(http).intel().setAlert(id(http), alert.asBoolean())));
    }

    private void apiSaveMatches(Context http) throws Exception {
        JsonNode endpoint = ctx.jsonBody(http).path("endpoint");
        if (!endpoint.isTextual()) throw new BadRequest("expected {\"endpoint\": \"WS-01\"}: the endpoint whose matches to save");
        Intel.SavedMatches saved = ctx.scope(http).intel().saveMatches(id(http), endpoint.asText());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evidence_id", saved.item().id());
        m.put("events", saved.item().eventCount());
        m.put("matched", saved.matched());
        if (saved.cut()) {
            m.put("note", "the newest " + Format.count(saved.item().eventCount()) + " of " + Format.count(saved.matched())
                    + " matches were saved (an item holds at most " + Format.count(trailhound.access.SavedEvidence.MAX_EVENTS) + "); POST /api/v1/exports {\"endpoint\", \"q\"} with the IOC's query"
                    + " exports them all");
        }
        http.status(HttpStatus.CREATED).json(m);
    }

    static Map<String, Object> json(Ioc ioc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ioc.id());
        m.put("name", ioc.name());
        m.put("author", ioc.author());
        m.put("created_at", java.time.Instant.ofEpochMilli(ioc.createdAt()).toString());
        m.put("origin", ioc.origin());
        m.put("alert", ioc.alert());
        m.put("endpoints", ioc.endpoints()); // made from evidence of these: seen only by users who see them all
        IocTree tree = IocJson.read(ioc.tree());
        m.put("tree", IocJson.node(tree));
        m.put("query", tree.toQuery());
        m.put("url", PATH + "/" + ioc.id());
        return m;
    }

    private Ioc find(Context http) {
        long id = id(http);
        return ctx.scope(http).intel().find(id).orElseThrow(() -> unknown(id));
    }

    private static AccessException unknown(long id) {
        return AccessException.unknown("unknown IOC " + id + ": the Intel page lists them (GET /api/v1/iocs)");
    }

    private static long id(Context http) {
        return parseId(http.pathParam("id"), "IOC");
    }

    private static long parseId(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AccessException.unknown("unknown " + what + " '" + text + "'");
        }
    }

    static String capitalised(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
