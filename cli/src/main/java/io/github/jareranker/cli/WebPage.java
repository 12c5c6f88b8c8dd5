package io.github.jareranker.cli;

/**
 * A page served inside the embedded Solr's {@code /solr} context, written without the servlet API: Solr 9 runs on
 * {@code javax.servlet} and Solr 10 on {@code jakarta.servlet}, so each major's {@code PageServlet} (src/solr9,
 * src/solr10) adapts a {@code WebPage} to its servlet API. Implementations are thread-safe.
 */
interface WebPage {
    /**
     * Answers a GET.
     *
     * @param pathInfo the path below the page's mount point ({@code "/"}, {@code "/demo.js"}), null for the mount
     *     point itself without a trailing slash
     * @param query the raw query string, or null
     * @param requestUri the request's path from the server root
     */
    Reply get(String pathInfo, String query, String requestUri);

    /** What to answer: a body with a content type, a redirect to {@code location}, or an error status. */
    record Reply(int status, String contentType, byte[] body, String location) {
        static Reply ok(String contentType, byte[] body) {
            return new Reply(200, contentType, body, null);
        }

        static Reply redirect(String location) {
            return new Reply(302, null, null, location);
        }

        static Reply notFound(String message) {
            return new Reply(404, null, null, message);
        }
    }
}
