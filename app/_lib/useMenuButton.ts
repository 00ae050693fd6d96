"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

/** menuitem, menuitemradio and menuitemcheckbox */
const ITEMS = "[role^=menuitem]";

/**
 * The WAI-ARIA menu-button pattern for a button and the menu it opens: opening focuses the
 * checked item (else the first), ArrowUp/ArrowDown move round the items, Home/End go to the
 * ends, Escape closes and gives the focus back to the button, Tab and a pointer press
 * outside the root close it.
 *
 * `isolateKeys`: keys pressed inside the menu go no further (the player's own keys would
 * otherwise seek or pause under it).
 */
export function useMenuButton({ isolateKeys = false }: { isolateKeys?: boolean } = {}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const menu = menuRef.current;
    (menu?.querySelector<HTMLElement>("[aria-checked=true]") ?? menu?.querySelector<HTMLElement>(ITEMS))?.focus();
    const onPointerDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  /** closes the menu; `restoreFocus` puts the focus back on its button */
  const close = (restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  };

  const onMenuKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (isolateKeys) e.stopPropagation();
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>(ITEMS) ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    } else if (e.key === "Home") {
      e.preventDefault();
      items[0]?.focus();
    } else if (e.key === "End") {
      e.preventDefault();
      items[items.length - 1]?.focus();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  /** spread on the menu button */
  const buttonProps = {
    ref: buttonRef,
    type: "button",
    "aria-haspopup": "menu",
    "aria-expanded": open,
    "aria-controls": open ? menuId : undefined,
    onClick: () => setOpen((o) => !o),
  } as const;

  /** spread on the element with role="menu" */
  const menuProps = { ref: menuRef, id: menuId, role: "menu", onKeyDown: onMenuKeyDown } as const;

  return { open, close, rootRef, buttonProps, menuProps };
}
