package trailhound.web;

/**
 * What every page's layout needs besides its content: the title, the signed-in user and role (for
 * the header), the CSRF token (for forms and htmx requests) and the endpoint the page is about (null
 * on pages not about one, for the navigation).
 */
public record PageChrome(String title, String user, String role, String csrfToken, String endpoint) {

    public PageChrome forEndpoint(String name) {
        return new PageChrome(title, user, role, csrfToken, name);
    }
}
