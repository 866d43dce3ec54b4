import type { Child } from "hono/jsx";

/**
 * What a list shows when it has nothing: a sentence saying so and, when the reader can do
 * something about it, the next step (a link or a button), instead of a blank page.
 */
export function EmptyState(props: { message: string; children?: Child }) {
  return (
    <div class="empty-state">
      <p>{props.message}</p>
      {props.children}
    </div>
  );
}
