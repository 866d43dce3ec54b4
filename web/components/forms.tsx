import { CSRF_FIELD } from "../../server/http/csrf.ts";

/** Every form's hidden CSRF token (server/http/csrf.ts checks it). */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/**
 * A form of one button that POSTs to `action` (delete, remove): no script needed, and named for
 * screen readers by what it acts on ("Delete: Summer reading").
 */
export function ActionButton(props: { action: string; csrf: string; label: string; target: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf token={props.csrf} />
      <button type="submit" class="danger" aria-label={`${props.label}: ${props.target}`}>
        {props.label}
      </button>
    </form>
  );
}
