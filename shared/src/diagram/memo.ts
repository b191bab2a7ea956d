/** Results made from `key` and one more input, kept as long as `key` lives. */
export type MemoCache<T> = WeakMap<object, { with: unknown; value: T }>;

/**
 * The value made for `key` and `also` (compared by identity), made once and reused after.
 * Keyed on the topology's own objects, which a diff keeps when it does not change them: an
 * unchanged interface yields the very same definition object, and whoever compares
 * (the canvas patcher) can skip it by identity.
 */
export function memo<T>(cache: MemoCache<T>, key: object, also: unknown, make: () => T): T {
  const hit = cache.get(key);
  if (hit && hit.with === also) return hit.value;
  const value = make();
  cache.set(key, { with: also, value });
  return value;
}
