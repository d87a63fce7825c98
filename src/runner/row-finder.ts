/**
 * The row of a customer id in `ids` (the features' customer ids), without a map entry per customer when it can:
 * by binary search when the ids are sorted (the features are, by customer_id), else through a map built once.
 */
export function rowFinder(ids: readonly string[]): (customerId: string) => number | undefined {
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = (ids[i - 1] as string) < (ids[i] as string);
  if (!sorted) {
    const rows = new Map(ids.map((id, i) => [id, i]));
    return (id) => rows.get(id);
  }
  return (id) => {
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = ids[mid] as string;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
}
