/**
 * How a commit's files are split over several `POST git/trees` requests (each on the tree of the
 * one before, `base_tree`), so no request carries tens of MB of inline content — a data backup's
 * first chunk-tree nodes are thousands of files (docs/persist-data.md §7).
 */

/** Inline content per `POST git/trees`, bytes. */
export const TREE_REQUEST_MAX_BYTES = 4 * 1024 * 1024

/**
 * `entries` in order, cut into batches of at most `maxBytes` of inline `content` each (an entry
 * larger than that alone in its batch); entries without content (blob SHAs, deletions) weigh
 * nothing. Always at least one batch, possibly empty. No request.
 */
export function treeBatches<E extends { content?: string }>(
  entries: readonly E[],
  maxBytes = TREE_REQUEST_MAX_BYTES
): E[][] {
  const batches: E[][] = [[]]
  let bytes = 0
  for (const e of entries) {
    const size = e.content?.length ?? 0
    const open = batches[batches.length - 1]
    if (bytes + size > maxBytes && open.length > 0) {
      batches.push([e])
      bytes = size
    } else {
      open.push(e)
      bytes += size
    }
  }
  return batches
}
