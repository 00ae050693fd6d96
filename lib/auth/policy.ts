/** Password rules, importable by the browser (the hashing module is server-only). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
