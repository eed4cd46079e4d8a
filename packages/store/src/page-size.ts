import { DEFAULT_LIST_PAGE_SIZE, MAX_LIST_PAGE_SIZE, fieldError } from '@stratus/spec';

/** A list request's page size (DEFAULT_LIST_PAGE_SIZE when absent); INVALID_ARGUMENT on `pageSize`. */
export const checkPageSize = (pageSize: number | undefined): number => {
  const size = pageSize ?? DEFAULT_LIST_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIST_PAGE_SIZE) {
    throw fieldError('INVALID_ARGUMENT', 'pageSize', `must be 1-${MAX_LIST_PAGE_SIZE}`, {
      detail: `pageSize must be an integer from 1 to ${MAX_LIST_PAGE_SIZE}`,
    });
  }
  return size;
};
