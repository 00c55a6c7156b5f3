/** A translation of an English catalogue part: the same keys, each with its text in another language. */
export type Translation<T> = { readonly [K in keyof T]: string };
