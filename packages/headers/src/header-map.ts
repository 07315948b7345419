/**
 * Response headers in any of the shapes callers hold them: a fetch `Headers`, `[name, value]`
 * pairs (keeps repeated fields apart), or a Node/supertest header object.
 *
 * @example
 * const headers: HeaderSource = [['set-cookie', 'a=1'], ['set-cookie', 'b=2']];
 */
export type HeaderSource =
  | Headers
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** Field values by lower-case name, one entry per field line when the source kept them apart. */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

/** Normalises a {@link HeaderSource} to a {@link HeaderMap}. */
export function toHeaderMap(source: HeaderSource): HeaderMap {
  const map = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };

  if (isIterable(source)) {
    for (const [name, value] of source) add(name, value);
    return map;
  }
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) add(name, String(item));
    else add(name, String(value));
  }
  return map;
}

function isIterable(
  source: HeaderSource,
): source is Headers | ReadonlyArray<readonly [string, string]> {
  return typeof (source as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}
