package com.aicredits.local.identity;

import java.util.List;
import java.util.Map;

/** The local identity provider's pages: pick a demo user, an error, signed out. Plain HTML, no script. */
final class LocalSignInPage {
    /** The authorization request's parameters the chooser posts back with the user picked. */
    private static final List<String> CARRIED = List.of("response_type", "client_id", "redirect_uri", "scope", "state",
            "nonce", "code_challenge", "code_challenge_method");

    private LocalSignInPage() {
    }

    static String chooser(String action, Map<String, String> request, List<LocalIdentityProvider.DemoUser> users) {
        StringBuilder form = new StringBuilder();
        form.append("<form method=\"post\" action=\"").append(escape(action)).append("\">\n");
        for (String name : CARRIED) {
            if (request.containsKey(name)) {
                form.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(request.get(name)))
                        .append("\">\n");
            }
        }
        for (LocalIdentityProvider.DemoUser user : users) {
            form.append("<button type=\"submit\" name=\"user\" value=\"").append(escape(user.id())).append("\" id=\"user-")
                    .append(escape(user.id())).append("\">").append(escape(user.label())).append("</button>\n");
        }
        form.append("<button type=\"submit\" name=\"user\" value=\"\" id=\"cancel\" class=\"cancel\">Cancel</button>\n</form>");
        return page("Sign in", """
                <h1>Sign in to aicredits</h1>
                <p>The local stack plays your organization's identity provider. Pick who you are:</p>
                """ + form);
    }

    static String error(String message) {
        return page("Sign-in error", "<h1>Sign-in error</h1>\n<p id=\"error\">" + escape(message) + "</p>");
    }

    static String signedOut() {
        return page("Signed out", "<h1>Signed out</h1>\n<p>You are signed out of the local identity provider.</p>");
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s – local identity provider</title>
                <style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
                button{display:block;width:100%%;margin:.5rem 0;padding:.75rem;font:inherit;text-align:left;cursor:pointer;
                border:1px solid #cbd5e1;border-radius:6px;background:#f8fafc}button:hover,button:focus{border-color:#2563eb}
                .cancel{text-align:center;background:none;border:none;color:#2563eb}</style></head>
                <body>
                %s
                </body></html>
                """.formatted(escape(title), body);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
