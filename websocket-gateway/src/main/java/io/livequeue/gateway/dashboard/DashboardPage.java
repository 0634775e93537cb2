package io.livequeue.gateway.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Makes {@code /dashboard} (as operators type it) lead to {@code /dashboard/}, where the static page lives: the page
 * loads its scripts by relative paths, which only resolve under the trailing slash.
 */
@Singleton
public class DashboardPage {

    void install(@Observes Router router) {
        // the route also matches "/dashboard/" (Vert.x ignores a trailing slash): only the bare path is redirected
        router.get("/dashboard").handler(context -> {
            if ("/dashboard".equals(context.request().path())) {
                context.redirect("/dashboard/");
            } else {
                context.next();
            }
        });
    }
}
