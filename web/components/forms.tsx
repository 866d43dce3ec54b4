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

/** A form's error about one field, as the page shows it next to that field. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The attributes that tie a control to its error: aria-invalid, and aria-describedby naming the
 * hint (if any) and the error message, so a screen reader reads both on focus.
 */
export function invalidAttributes(field: string, problem?: FieldProblem, hintId?: string) {
  const wrong = problem?.field === field;
  const describedBy = [hintId, wrong ? `${field}-error` : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": wrong ? "true" : undefined, "aria-describedby": describedBy || undefined };
}

/** The error message itself, announced (role=alert) and placed after the field. */
export function FieldError(props: { field: string; problem?: FieldProblem }) {
  if (props.problem?.field !== props.field) return null;
  return (
    <span class="error" role="alert" id={`${props.field}-error`}>
      {props.problem.message}
    </span>
  );
}
