import type { Translate } from "../../web/i18n/index.ts";
import type { ValidationError } from "../domain/errors.ts";

/**
 * How a form shows a validation error: at the top (`summary`, naming the field as the domain
 * does) and next to the field (`inline`, its label already names it), in the reader's language
 * when the problem has a code (ValidationCode), else as the domain wrote it.
 */
export function formError(t: Translate, error: ValidationError): { summary: string; inline: string } {
  if (error.code) {
    const text = t(`validation.${error.code}`);
    return { summary: text, inline: text };
  }
  return { summary: error.message, inline: error.reason };
}
