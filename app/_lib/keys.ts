/**
 * Whether keys pressed on `el` are its own (a text field, a select, editable text): the
 * page's shortcuts (the player's, the review page's, "/" for search) leave them alone there.
 */
export function ownsKeys(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return (
    el.isContentEditable ||
    el instanceof HTMLInputElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement
  );
}
