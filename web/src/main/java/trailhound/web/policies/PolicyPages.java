package trailhound.web.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import trailhound.access.Action;
import trailhound.access.ProtectionPolicies;
import trailhound.access.Scope;
import trailhound.index.IndexBackend;
import trailhound.index.ProcessInfo;
import trailhound.index.ProcessView;
import trailhound.protocol.Message;
import trailhound.protocol.PolicyRules;
import trailhound.store.Policies.EditedRule;
import trailhound.store.Policies.NewRule;
import trailhound.store.Policies.Policy;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Protection policies: the JSON API and the pages (docs/policies.md). Times ISO-8601 UTC.
 * <ul>
 * <li>{@code GET /api/v1/policies}: {@code {"policies": [policy...]}}, by name; a policy is {@code {"id", "name",
 *     "action" (block|alert), "enabled", "groups": [...], "rules": [{"id", "sha256", "path", "command_line", "parent",
 *     "origin", "created_by", "created_at"}], "created_by", "created_at", "changed_by", "changed_at"}}.
 * <li>{@code GET /api/v1/policies/{id}}: one.
 * <li>{@code POST /api/v1/policies} {@code {"name", "action", "enabled" (false), "groups": [...], "rules": [{"sha256",
 *     "path", "command_line", "parent"}]}}, or {@code "from_process": {"endpoint", "process_key"}} in place of (or
 *     beside) {@code rules}: 201 with the policy. Analysts create disabled policies only (403 otherwise).
 *     What agents enforce changes only in a signed-in administrator's session: an API token (whatever its role)
 *     cannot create a policy enabled, add rules to an enabled one, enable or disable (403).
 * <li>{@code POST /api/v1/policies/{id}/rules} {@code {"rules": [...]} or {"from_process": {...}}}: adds rules.
 * <li>{@code PUT /api/v1/policies/{id}} {@code {"name", "action", "groups": [...], "rules": [{"id", "sha256", "path",
 *     "command_line", "parent"}]}}: changes it; a field left out is kept. {@code rules} replaces the list: a rule with
 *     its {@code id} is changed in place, one without an id added, a rule left out deleted. The state stays (enable or
 *     disable for that). Analysts change disabled policies only, as for adding rules.
 * <li>{@code DELETE /api/v1/policies/{id}}: 204; agents stop enforcing it. Analysts delete disabled policies only.
 * <li>{@code POST /api/v1/policies/{id}/enable}, {@code .../disable}: administrators.
 * <li>{@code "from_evidence": [ids]} beside or in place of {@code rules}: one rule per saved process or file item, and
 *     per distinct process of an event item (its events may come from several; each rule's {@code origin} names its
 *     process), pre-filled as the form does. The form ({@code ?evidence=ID}) pre-fills the first and links the others.
 * <li>Pages: {@code /policies} (list and summary), {@code /policies/{id}}, {@code /policies/new?endpoint=E&process_key=K}
 *     (the process page's Protect) or {@code ?evidence=ID} (Saved evidence's Protect): rules pre-filled, and their form posts.
 * </ul>
 * 400 says which field or rule is wrong and why; 404 for an unknown policy or a process outside the caller's groups.
 */
public final class PolicyPages {
    private final WebContext ctx;

    private PolicyPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        PolicyPages p = new PolicyPages(ctx);
        routes.get("/api/v1/policies", Action.VIEW, p::listApi);
        routes.get("/api/v1/policies/{id}", Action.VIEW, p::oneApi);
        routes.post("/api/v1/policies", Action.INVESTIGATE, p::createApi);
        routes.post("/api/v1/policies/{id}/rules", Action.INVESTIGATE, p::addRulesApi);
        routes.put("/api/v1/policies/{id}", Action.INVESTIGATE, p::updateApi);
        routes.delete("/api/v1/policies/{id}", Action.INVESTIGATE, p::deleteApi);
        // a token reaches the access layer, whose refusal speaks of policies (not of credentials) as creating one enabled does
        routes.postForScripts("/api/v1/policies/{id}/enable", Action.ADMINISTER, http -> p.enableApi(http, true));
        routes.postForScripts("/api/v1/policies/{id}/disable", Action.ADMINISTER, http -> p.enableApi(http, false));
        routes.get("/policies", Action.VIEW, p::listPage);
        routes.get("/policies/new", Action.INVESTIGATE, p::newPage);
        routes.get("/policies/{id}", Action.VIEW, p::onePage);
        routes.post("/policies", Action.INVESTIGATE, p::createForm);
        routes.post("/policies/{id}/rules", Action.INVESTIGATE, p::addRulesForm);
        routes.post("/policies/{id}/edit", Action.INVESTIGATE, p::updateForm);
        routes.post("/policies/{id}/delete", Action.INVESTIGATE, p::deleteForm);
        routes.post("/policies/{id}/enable", Action.ADMINISTER, http -> p.enableForm(http, true));
        routes.post("/policies/{id}/disable", Action.ADMINISTER, http -> p.enableForm(http, false));
    }

    private ProtectionPolicies policies(Context http) {
        return ctx.access().policies(ctx.scope(http));
    }

    // ---- API

    private void listApi(Context http) {
        http.json(Map.of("policies", policies(http).list().stream().map(PolicyPages::json).toList()));
    }

    private void oneApi(Context http) {
        http.json(json(find(http)));
    }

    private void createApi(Context http) throws IOException {
        JsonNode body = ctx.jsonBody(http);
        if (!body.isObject()) throw new BadRequestResponse("send a JSON object: {\"name\", \"action\", \"groups\", \"rules\"}");
        WebContext.knownFields(body, "a policy", "name", "action", "enabled", "groups", "rules", "from_process", "from_evidence");
        List<NewRule> rules = rules(http, body);
        Policy p = policies(http).create(body.path("name").asText(null), body.path("action").asText(null), body.path("enabled").asBoolean(false),
                WebContext.strings(body, "groups", "the computer groups whose agents enforce it"), rules);
        http.status(201).json(json(p));
    }

    private void addRulesApi(Context http) throws IOException {
        JsonNode body = ctx.jsonBody(http);
        WebContext.knownFields(body, "the rules to add", "rules", "from_process", "from_evidence");
        http.json(json(policies(http).addRules(id(http), rules(http, body))));
    }

    private void updateApi(Context http) throws IOException {
        JsonNode body = ctx.jsonBody(http);
        if (!body.isObject()) throw new BadRequestResponse("send a JSON object: {\"name\", \"action\", \"groups\", \"rules\"}, any of them");
        if (body.has("enabled")) {
            throw new BadRequestResponse("'enabled' is not changed here: POST /api/v1/policies/{id}/enable or /disable (administrators)");
        }
        WebContext.knownFields(body, "a policy change", "name", "action", "groups", "rules");
        List<EditedRule> rules = null;
        if (body.has("rules")) {
            JsonNode list = body.path("rules");
            if (!list.isArray()) throw new BadRequestResponse("'rules' must be a list of {id, sha256, path, command_line, parent}");
            rules = new ArrayList<>();
            for (JsonNode r : list) {
                WebContext.knownFields(r, "a rule", "id", "sha256", "path", "command_line", "parent", "origin");
                JsonNode ruleId = r.path("id");
                if (!ruleId.isMissingNode() && !ruleId.isNull() && !ruleId.canConvertToLong()) {
                    throw new BadRequestResponse("a rule's 'id' is the number of one of the policy's rules, or left out for a new rule");
                }
                rules.add(new EditedRule(ruleId.canConvertToLong() ? ruleId.asLong() : null,
                        new NewRule(text(r, "sha256"), text(r, "path"), text(r, "command_line"), text(r, "parent"), text(r, "origin"))));
            }
        }
        List<String> groups = body.has("groups") ? WebContext.strings(body, "groups", "the computer groups whose agents enforce it") : null;
        http.json(json(policies(http).update(id(http), body.has("name") ? body.path("name").asText(null) : null,
                body.has("action") ? body.path("action").asText(null) : null, groups, rules)));
    }

    private void deleteApi(Context http) {
        policies(http).delete(id(http));
        http.status(204);
    }

    private void enableApi(Context http, boolean enabled) {
        http.json(json(policies(http).setEnabled(id(http), enabled)));
    }

    private List<NewRule> rules(Context http, JsonNode body) throws IOException {
        List<NewRule> rules = new ArrayList<>();
        JsonNode list = body.path("rules");
        if (!list.isMissingNode() && !list.isArray()) throw new BadRequestResponse("'rules' must be a list of {sha256, path, command_line, parent}");
        for (JsonNode r : list) {
            WebContext.knownFields(r, "a rule", "sha256", "path", "command_line", "parent", "origin");
            rules.add(new NewRule(text(r, "sha256"), text(r, "path"), text(r, "command_line"), text(r, "parent"), text(r, "origin")));
        }
        JsonNode from = body.path("from_process");
        WebContext.knownFields(from, "from_process", "endpoint", "process_key");
        if (from.isObject()) rules.add(fromProcess(ctx.scope(http), from.path("endpoint").asText(""), from.path("process_key").asText("")));
        JsonNode evidence = body.path("from_evidence");
        if (!evidence.isMissingNode() && !evidence.isArray()) throw new BadRequestResponse("'from_evidence' must be a list of evidence item ids");
        for (JsonNode id : evidence) {
            if (!id.canConvertToLong()) throw new BadRequestResponse("'from_evidence' must be a list of evidence item ids, not " + id);
            // one rule per distinct process of the item (an event item's events may come from several)
            // two items of the same process make the same rule: it is added once (the access layer refuses a rule given twice)
            for (RuleCandidates.ProcessRule r : fromEvidence(ctx.scope(http), id.asLong())) {
                NewRule rule = r.rule();
                if (rules.stream().noneMatch(o -> java.util.Objects.equals(o.sha256(), rule.sha256()) && java.util.Objects.equals(o.path(), rule.path())
                        && java.util.Objects.equals(o.commandLine(), rule.commandLine()) && java.util.Objects.equals(o.parent(), rule.parent()))) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    /**
     * The rules a saved evidence item suggests, one per distinct process its events come from
     * ({@link RuleCandidates#fromEvidenceByProcess}; 404 when the caller does not see it; 400 when it names no program).
     */
    static List<RuleCandidates.ProcessRule> fromEvidence(Scope scope, long id) {
        var saved = scope.savedEvidence();
        String endpoint = saved.endpoint(id);
        var item = saved.find(id).orElseThrow();
        if (item.kind() == trailhound.store.EvidenceItems.Kind.SNAPSHOT) {
            throw new BadRequestResponse(trailhound.access.SavedEvidence.wholeSnapshot(item).replace("single indicator", "single program"));
        }
        String origin = "evidence " + id + " (" + saved.kind(id).label() + " on " + endpoint + ")";
        // a process item is one process (with its history); an event item's rows may come from several
        List<RuleCandidates.ProcessRule> rules = item.kind() == trailhound.store.EvidenceItems.Kind.EVENT
                ? RuleCandidates.fromEvidenceByProcess(saved.events(id), origin)
                : RuleCandidates.fromEvidence(saved.events(id), origin).map(r -> List.of(new RuleCandidates.ProcessRule(null, r.path(), r)))
                        .orElse(List.of());
        if (rules.isEmpty()) throw new BadRequestResponse("evidence " + id + " names no program to make a rule from (a snapshot?)");
        return rules;
    }

    /** The rule a recorded process suggests (404 when the caller does not see it). */
    static NewRule fromProcess(Scope scope, String endpoint, String processKey) throws IOException {
        try (IndexBackend.Lease lease = scope.index(endpoint)) {
            Optional<ProcessView> view = lease.index().process(processKey, 1, 0);
            ProcessInfo p = view.orElseThrow(() -> new NotFoundResponse("no process '" + processKey + "' on endpoint '" + endpoint
                    + "': open it from the events grid")).process();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("hash_sha256", p.hashSha256());
            fields.put("process_path", p.path());
            fields.put("command_line", p.commandLine());
            fields.put("parent_path", p.parentPath());
            return RuleCandidates.from(fields, "process " + processKey + " on " + endpoint);
        }
    }

    private Policy find(Context http) {
        long id = id(http);
        return policies(http).find(id).orElseThrow(() -> new NotFoundResponse("no policy " + id + "; GET /api/v1/policies lists them"));
    }

    private static long id(Context http) {
        try {
            return Long.parseLong(http.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no policy '" + http.pathParam("id") + "': policy ids are numbers");
        }
    }

    static Map<String, Object> json(Policy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("action", p.action());
        m.put("enabled", p.enabled());
        m.put("groups", p.groups());
        m.put("rules", p.rules().stream().map(r -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("id", r.id());
            rm.put("sha256", r.sha256());
            rm.put("path", r.path());
            rm.put("command_line", r.commandLine());
            rm.put("parent", r.parent());
            rm.put("origin", r.origin());
            rm.put("created_by", r.createdBy());
            rm.put("created_at", Instant.ofEpochMilli(r.createdAt()).toString());
            return rm;
        }).toList());
        m.put("created_by", p.createdBy());
        m.put("created_at", Instant.ofEpochMilli(p.createdAt()).toString());
        m.put("changed_by", p.changedBy());
        m.put("changed_at", Instant.ofEpochMilli(p.changedAt()).toString());
        return m;
    }

    // ---- pages

    /** The list: every policy with its summary; {@code mayEnable} an administrator. */
    public record ListPage(PageChrome chrome, List<Row> rows, boolean mayCreate, boolean mayEnable, String message) {}

    /** One policy as listed and on its own page: rules as text, times in UTC. */
    public record Row(Policy policy, List<String> rules, String changed) {
        static Row of(Policy p) {
            return new Row(p, p.rules().stream().map(r -> PolicyRules.describe(new Message.Rule(r.id(), r.sha256(), r.path(), r.commandLine(),
                    r.parent())) + (r.origin() == null ? "" : "  (from " + r.origin() + ")")).toList(), Format.utc(p.changedAt()));
        }
    }

    /** A policy's page; {@code searchUrl} the Hunt for its enforcement events. */
    public record OnePage(PageChrome chrome, Row row, boolean mayEnable, boolean mayAddRules, String searchUrl, String message,
            List<String> groups) {}

    /**
     * The form: a new policy, or (with {@code existing}) rules to add to one. {@code rule} pre-filled from a
     * process when made from one, {@code groups} every computer group ({@code chosen} checked).
     */
    public record FormPage(PageChrome chrome, NewRule rule, List<String> groups, List<String> chosen, List<Policy> existing,
            boolean mayEnable, String endpoint, String origin, String groupHint, List<RuleCandidates.ProcessRule> otherProcesses) {
        /** The Protect form of another process of the evidence item: its rule pre-filled from the recorded process. */
        public String processLink(RuleCandidates.ProcessRule p) {
            return "/policies/new?endpoint=" + Format.url(endpoint) + "&process_key=" + Format.url(p.processKey());
        }
    }

    private void listPage(Context http) {
        Scope scope = ctx.scope(http);
        ctx.render(http, "policies/list.jte", new ListPage(ctx.chrome(http, "Protection policies"),
                policies(http).list().stream().map(Row::of).toList(), scope.may(Action.INVESTIGATE), scope.may(Action.ADMINISTER),
                http.queryParam("done")));
    }

    private void onePage(Context http) {
        Scope scope = ctx.scope(http);
        Policy p = find(http);
        ctx.render(http, "policies/one.jte", new OnePage(ctx.chrome(http, "Policy " + trailhound.web.live.LiveFiles.shownText(p.name())), Row.of(p), scope.may(Action.ADMINISTER),
                scope.may(Action.ADMINISTER) || scope.may(Action.INVESTIGATE) && !p.enabled(),
                "/hunt?q=" + Format.url("type:policy AND policy:\"" + p.name().replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                http.queryParam("done"), editableGroups(http, p)));
    }

    private void newPage(Context http) throws IOException {
        Scope scope = ctx.scope(http);
        String endpoint = http.queryParam("endpoint");
        String key = http.queryParam("process_key");
        String evidence = http.queryParam("evidence");
        NewRule rule = new NewRule(null, null, null, null, null);
        List<RuleCandidates.ProcessRule> others = List.of();
        if (evidence != null) {
            long id;
            try {
                id = Long.parseLong(evidence);
            } catch (NumberFormatException e) {
                throw new NotFoundResponse("no evidence item '" + evidence + "'");
            }
            List<RuleCandidates.ProcessRule> rules = fromEvidence(scope, id);
            rule = rules.getFirst().rule();
            others = rules.subList(1, rules.size());
            endpoint = scope.savedEvidence().endpoint(id);
        } else if (endpoint != null && key != null) {
            rule = fromProcess(scope, endpoint, key);
        }
        List<String> groups = policies(http).choosableGroups(endpoint);
        Defaults defaults = defaults(scope, groups, endpoint);
        ctx.render(http, "policies/new.jte", new FormPage(ctx.chrome(http, "Protect: new policy or rule"), rule, groups, defaults.chosen(),
                policies(http).list(), scope.may(Action.ADMINISTER) && !scope.caller().viaToken(), endpoint, rule.origin(), defaults.hint(),
                others));
    }

    private record Defaults(List<String> chosen, String hint) {}

    /**
     * The groups checked at first: of those holding {@code endpoint} (never "All endpoints": a block there
     * stops the process everywhere), the ones whose rule picks endpoints by OS (the "the evidence's
     * OS by default"), else the first. The hint says what was chosen and, when no group gathers the
     * endpoint's OS, how an administrator makes one.
     */
    private Defaults defaults(Scope scope, List<String> groups, String endpoint) throws IOException {
        if (endpoint == null) return new Defaults(List.of(), null);
        List<trailhound.store.EndpointInfo> known = scope.endpoints();
        var access = ctx.access();
        // an endpoint's OS: its agent's own report, else what its snapshots said
        java.util.function.Function<String, String> osOf = name -> access.agents().endpoint(name).map(trailhound.access.Agents.Endpoint::os)
                .filter(o -> o != null && !o.isBlank())
                .or(() -> known.stream().filter(e -> e.name().equals(name)).map(trailhound.store.EndpointInfo::os)
                        .filter(o -> o != null && !o.isBlank()).findFirst())
                .orElse(null);
        String os = osOf.apply(endpoint);
        String family = family(os);
        List<String> holding = groups.stream().filter(g -> !g.equals(trailhound.store.ComputerGroups.ALL_ENDPOINTS))
                .filter(g -> access.groups().members(g).contains(endpoint)).toList();
        // a group of its OS: its rule picks by os, and every endpoint in it runs that OS (try-out: "os:windows OR os:linux"
        // holds the endpoint too, but a block there reaches every OS)
        List<String> byOs = family == null ? List.of() : holding.stream()
                .filter(g -> access.groups().find(g).map(x -> x.rule() != null
                        && java.util.regex.Pattern.compile("(?i)(^|[^\\w])os\\s*:").matcher(x.rule()).find()).orElse(false))
                .filter(g -> access.groups().members(g).stream().allMatch(m -> family.equals(family(osOf.apply(m))))).toList();
        // else the narrowest group holding it (fewest endpoints): a block reaches as few machines as it can
        List<String> chosen = !byOs.isEmpty() ? byOs : holding.stream()
                .min(java.util.Comparator.comparingInt(g -> access.groups().members(g).size())).stream().toList();
        StringBuilder hint = new StringBuilder(endpoint + (os == null ? "" : " runs " + os) + ". ");
        if (!byOs.isEmpty()) {
            hint.append("Checked: the groups of its OS (every endpoint in them runs ").append(family).append(").");
        } else {
            hint.append(chosen.isEmpty() ? "No group but All endpoints holds it: choose the groups to protect."
                    : "Checked: the smallest group that holds it.");
            if (family != null) {
                hint.append(" No group gathers only the endpoints running ").append(family).append(": an administrator can add one"
                        + " (Administration > Computer groups) with the rule os:").append(family).append("*.");
            }
        }
        return new Defaults(chosen, hint.toString());
    }

    /** The first word of an OS as agents and snapshots report it ("Linux 6.8 amd64", "windows"), lower-case; null when unknown. */
    private static String family(String os) {
        return os == null || os.isBlank() ? null : os.strip().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
    }

    private NewRule formRule(Context http) {
        return new NewRule(http.formParam("sha256"), http.formParam("path"), http.formParam("command_line"), http.formParam("parent"),
                http.formParam("origin"));
    }

    private void createForm(Context http) {
        String existing = http.formParam("existing");
        if (existing != null && !existing.isBlank()) {
            long id;
            try {
                id = Long.parseLong(existing);
            } catch (NumberFormatException e) {
                throw new BadRequestResponse("choose a policy to add the rule to");
            }
            policies(http).addRules(id, List.of(formRule(http)));
            http.redirect("/policies/" + id + "?done=" + Format.url("rule added"), HttpStatus.SEE_OTHER);
            return;
        }
        Policy p = policies(http).create(http.formParam("name"), http.formParam("action"), "on".equals(http.formParam("enabled")),
                http.formParams("groups"), List.of(formRule(http)));
        http.redirect("/policies/" + p.id() + "?done=" + Format.url("policy created" + (p.enabled() ? " and enabled" : " (disabled: a proposal)")), HttpStatus.SEE_OTHER);
    }

    private void addRulesForm(Context http) {
        long id = id(http);
        policies(http).addRules(id, List.of(formRule(http)));
        http.redirect("/policies/" + id + "?done=" + Format.url("rule added"), HttpStatus.SEE_OTHER);
    }

    /** The groups the edit form offers: those the caller may choose, and those the policy has already. */
    private List<String> editableGroups(Context http, Policy p) {
        java.util.TreeSet<String> offered = new java.util.TreeSet<>(policies(http).choosableGroups());
        offered.addAll(p.groups());
        return List.copyOf(offered);
    }

    /**
     * The edit form: name, action, groups, and each rule's conditions by its {@code rule_id} (in the order of the
     * rules), those whose id is in {@code remove} deleted.
     */
    private void updateForm(Context http) {
        long id = id(http);
        // fifth try-out: a form opened before another user added a rule deleted it on save (its rows were not in the form)
        Policy now = find(http);
        if (!String.valueOf(now.changedAt()).equals(http.formParam("changed_at"))) {
            throw new io.javalin.http.HttpResponseException(409, "policy " + id + " changed since you opened its page (by " + now.changedBy()
                    + " at " + java.time.Instant.ofEpochMilli(now.changedAt()) + "): nothing was saved; reload the page to see its"
                    + " rules now, then make your change again");
        }
        List<String> ids = http.formParams("rule_id");
        List<String> sha = http.formParams("sha256");
        List<String> path = http.formParams("path");
        List<String> commandLine = http.formParams("command_line");
        List<String> parent = http.formParams("parent");
        List<String> remove = http.formParams("remove");
        if (sha.size() != ids.size() || path.size() != ids.size() || commandLine.size() != ids.size() || parent.size() != ids.size()) {
            throw new BadRequestResponse("each rule needs its rule_id, sha256, path, command_line and parent fields: reload the policy's page");
        }
        List<EditedRule> rules = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (remove.contains(ids.get(i))) continue;
            Long ruleId;
            try {
                ruleId = Long.parseLong(ids.get(i));
            } catch (NumberFormatException e) {
                throw new BadRequestResponse("rule_id '" + ids.get(i) + "' is no rule of policy " + id + ": reload the policy's page");
            }
            rules.add(new EditedRule(ruleId, new NewRule(sha.get(i), path.get(i), commandLine.get(i), parent.get(i), null)));
        }
        policies(http).update(id, http.formParam("name"), http.formParam("action"), http.formParams("groups"), rules);
        http.redirect("/policies/" + id + "?done=" + Format.url("policy changed"), HttpStatus.SEE_OTHER);
    }

    private void deleteForm(Context http) {
        long id = id(http);
        Policy p = find(http);
        policies(http).delete(id);
        http.redirect("/policies?done=" + Format.url("policy " + p.name() + " deleted"), HttpStatus.SEE_OTHER);
    }

    private void enableForm(Context http, boolean enabled) {
        long id = id(http);
        policies(http).setEnabled(id, enabled);
        http.redirect("/policies/" + id + "?done=" + Format.url(enabled ? "enabled: agents of its groups enforce it now" : "disabled"), HttpStatus.SEE_OTHER);
    }
}
