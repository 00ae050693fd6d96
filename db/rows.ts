/** `passwordChangedAt` → `password_changed_at`: the column a camelCased field is stored in. */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/**
 * The row a query returns for a record the repositories hand out: the same fields, typed
 * the same, under their snake_case column names. The repositories' `toX(row)` functions
 * still map each field by hand, so a column can never slip into a record unasked.
 */
export type RowOf<T> = { [K in keyof T & string as SnakeCase<K>]: T[K] };
