import { Type } from '@sinclair/typebox';

/** Page size of jobs, models, versions and operations lists when none is asked (as Cloud ML v1). */
export const DEFAULT_LIST_PAGE_SIZE = 20;
/** The largest page those lists return (as Cloud ML v1); larger asks are a 400. */
export const MAX_LIST_PAGE_SIZE = 100;

/** `pageSize` of a list's query string. */
export const ListPageSizeSchema = Type.Integer({
  minimum: 1,
  maximum: MAX_LIST_PAGE_SIZE,
  description: `Results per page, 1-${MAX_LIST_PAGE_SIZE}; ${DEFAULT_LIST_PAGE_SIZE} when omitted`,
});
