package trailhound.web.process;

/**
 * One labelled fact on the process page; when the value is missing the page shows a "?" whose
 * tooltip ({@code missingHint}) says why it is missing.
 */
public record Detail(String label, String value, String missingHint) {

    public boolean missing() {
        return value == null;
    }
}
