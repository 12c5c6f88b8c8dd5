package io.github.jareranker.cli;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** Solr 9's servlet (javax.servlet) around a {@link WebPage}; the other major has its own copy of this adapter. */
final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient WebPage page;

    PageServlet(WebPage page) {
        this.page = page;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        WebPage.Reply reply = page.get(req.getPathInfo(), req.getQueryString(), req.getRequestURI());
        if (reply.status() == HttpServletResponse.SC_FOUND) {
            resp.sendRedirect(reply.location());
        } else if (reply.body() == null) {
            resp.sendError(reply.status(), reply.location());
        } else {
            resp.setStatus(reply.status());
            resp.setContentType(reply.contentType());
            // The page is small and changes with the build; never let a browser keep an old copy.
            resp.setHeader("Cache-Control", "no-cache");
            resp.setContentLength(reply.body().length);
            resp.getOutputStream().write(reply.body());
        }
    }
}
