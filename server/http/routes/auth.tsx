import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { ValidationError } from "../../domain/errors.ts";
import { authenticate, countAdmins, createFirstAdmin, endSession, startSession } from "../../domain/users.ts";
import { clientAddress } from "../client-address.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import type { RateLimiter } from "../rate-limit.ts";
import { render } from "../render.tsx";
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from "../session.ts";

/** First-run setup, sign in and sign out. */
/** Sign-in attempts are limited per client address and per account (many addresses, one target). */
export interface LoginLimiters {
  perAddress: RateLimiter;
  perAccount: RateLimiter;
}

export function authRoutes(limiters: LoginLimiters) {
  const routes = new Hono<AppEnv>();

  routes.get("/setup", async (c) => {
    const t = c.get("t");
    if ((await countAdmins(c.get("deps").db)) > 0) {
      return render(
        c,
        { title: t("setup.title") },
        <>
          <h1>{t("setup.title")}</h1>
          <p class="notice">
            {t("setup.done")} <a href="/login">{t("nav.login")}</a>
          </p>
        </>,
      );
    }
    return render(
      c,
      { title: t("setup.title") },
      <CredentialsForm action="/setup" title={t("setup.title")} intro={t("setup.intro")} c={c} />,
    );
  });

  routes.post("/setup", async (c) => {
    const t = c.get("t");
    const { db } = c.get("deps");
    const form = await c.req.parseBody();
    if (!validCsrf(c, form[CSRF_FIELD]))
      return render(c, { title: t("setup.title") }, <CsrfExpired title={t("setup.title")} c={c} />, 403);
    if ((await countAdmins(db)) > 0) return c.redirect("/login", 303);
    try {
      const user = await createFirstAdmin(db, {
        email: String(form.email ?? ""),
        password: String(form.password ?? ""),
      });
      // Another request finished the setup first.
      if (!user) return c.redirect("/login", 303);
      setSessionCookie(c, await startSession(db, user.id));
      return c.redirect("/admin", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(
        c,
        { title: t("setup.title") },
        <CredentialsForm
          action="/setup"
          title={t("setup.title")}
          intro={t("setup.intro")}
          c={c}
          error={error.message}
          email={String(form.email ?? "")}
        />,
        400,
      );
    }
  });

  routes.get("/login", async (c) => {
    const t = c.get("t");
    if ((await countAdmins(c.get("deps").db)) === 0) return c.redirect("/setup", 303);
    return render(
      c,
      { title: t("login.title") },
      <CredentialsForm action={loginAction(c.req.query("next"))} title={t("login.title")} c={c} />,
    );
  });

  routes.post("/login", async (c) => {
    const t = c.get("t");
    const { db } = c.get("deps");
    const form = await c.req.parseBody();
    if (!validCsrf(c, form[CSRF_FIELD]))
      return render(c, { title: t("login.title") }, <CsrfExpired title={t("login.title")} c={c} />, 403);
    // Per client address (as the inbox guard does), not one bucket that locks everyone out.
    const address = clientAddress(c);
    const action = loginAction(c.req.query("next"));
    const email = String(form.email ?? "");
    const allowed = await Promise.all([
      limiters.perAddress.take(address),
      limiters.perAccount.take(email.trim().toLowerCase()),
    ]);
    if (!allowed.every(Boolean)) {
      return render(
        c,
        { title: t("login.title") },
        <CredentialsForm action={action} title={t("login.title")} c={c} error={t("login.tooMany")} />,
        429,
      );
    }
    const user = await authenticate(db, email, String(form.password ?? ""));
    if (!user) {
      return render(
        c,
        { title: t("login.title") },
        <CredentialsForm
          action={action}
          title={t("login.title")}
          c={c}
          error={t("login.failed")}
          email={email}
        />,
        400,
      );
    }
    setSessionCookie(c, await startSession(db, user.id));
    return c.redirect(safeNext(c.req.query("next")), 303);
  });

  routes.post("/logout", async (c) => {
    const form = await c.req.parseBody();
    if (!validCsrf(c, form[CSRF_FIELD])) return c.text(c.get("t")("form.csrf"), 403);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSession(c.get("deps").db, token);
    clearSessionCookie(c);
    return c.redirect("/", 303);
  });

  return routes;
}

/** Only same-site paths, so the login form cannot be used as an open redirect. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-/.?=&%]*$/.test(next) ? next : "/admin";
}

function loginAction(next: string | undefined): string {
  return next ? `/login?next=${encodeURIComponent(safeNext(next))}` : "/login";
}

function CsrfExpired(props: { title: string; c: Context<AppEnv> }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p class="error" role="alert">
        {props.c.get("t")("form.csrf")}
      </p>
    </>
  );
}

function CredentialsForm(props: {
  action: string;
  title: string;
  intro?: string;
  c: Context<AppEnv>;
  error?: string;
  email?: string;
}) {
  const t = props.c.get("t");
  return (
    <>
      <h1>{props.title}</h1>
      {props.intro && <p>{props.intro}</p>}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action={props.action} class="stack">
        <input type="hidden" name={CSRF_FIELD} value={props.c.get("csrfToken")} />
        <label>
          {t("form.email")}
          <input type="email" name="email" required autocomplete="username" value={props.email ?? ""} />
        </label>
        <label>
          {t("form.password")}
          <span class="hint">{t("form.passwordHint")}</span>
          <input
            type="password"
            name="password"
            required
            minlength={10}
            autocomplete={props.action === "/setup" ? "new-password" : "current-password"}
          />
        </label>
        <button type="submit">{props.title}</button>
      </form>
    </>
  );
}
