import {
  assertValidPatch,
  parseUpdateMask,
  type PatchKind,
  type PatchRequest,
} from '@stratus/spec';

/** The query a PATCH route takes. */
export interface UpdateMaskQuery {
  updateMask?: string;
}

/**
 * A PATCH request's mask and masked values, checked: a missing, unknown or
 * read-only updateMask path, or a bad value, is a 400 naming it.
 */
export const patchRequest = (
  kind: PatchKind,
  query: UpdateMaskQuery,
  body: unknown,
): PatchRequest => assertValidPatch(kind, body, parseUpdateMask(kind, query.updateMask));
