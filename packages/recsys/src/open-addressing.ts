/**
 * The slot array of an open-addressing hash table with linear probing, as both id tables keep it: a power
 * of two of at least 16 slots and at least twice `capacity` (load factor ≤ 1/2), slot = entry index + 1
 * (0 = empty), holding entries `0..count-1` placed by `hashOf(i)`.
 */
export function buildSlots(capacity: number, count: number, hashOf: (index: number) => number): Int32Array {
  let cap = 16;
  while (cap < capacity * 2) cap *= 2;
  const slots = new Int32Array(cap);
  const mask = cap - 1;
  for (let i = 0; i < count; i++) {
    let s = hashOf(i) & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = i + 1;
  }
  return slots;
}
