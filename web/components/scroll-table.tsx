import type { Child } from "hono/jsx";

/**
 * A wide table inside a box that scrolls sideways on a phone, so the page itself never does.
 * A named, focusable region, so keyboard users can scroll it too (WCAG 2.1.1; axe's
 * scrollable-region-focusable).
 */
export function ScrollTable(props: { label: string; children: Child }) {
  return (
    <section class="table-scroll" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
