// Small DOM and storage helpers shared by the page's modules. Text from the program is only ever set
// with textContent (el's third argument): a value or a source line can hold anything.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with a class and text (set as text, never as HTML). */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A value kept in localStorage (per origin: per rank's port) as JSON; `fallback` when absent or unreadable. */
export function loadStored(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** Stores `value` as JSON under `key` (undefined removes it); a browser that refuses (private mode) is ignored. */
export function store(key, value) {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode, or full: the page works without it */
  }
}
