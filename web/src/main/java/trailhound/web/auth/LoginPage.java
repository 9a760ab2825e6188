package trailhound.web.auth;

import trailhound.web.PageChrome;

/** The sign-in form: its double-submit token, where to go afterwards (may be null) and the last error (may be null). */
public record LoginPage(PageChrome chrome, String loginToken, String next, String error) {}
