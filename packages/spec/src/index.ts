export {
  ERRORS,
  StratusError,
  isStratusError,
  coerceError,
  type ErrorCode,
  type ErrorContext,
  type ErrorDefinition,
  type FieldViolation,
  type GoogleStatus,
} from './errors.js';
