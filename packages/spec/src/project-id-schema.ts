import { Type, type StringOptions, type TString } from '@sinclair/typebox';
import { PROJECT_ID_PATTERN } from './names.js';

/** A project id field (PROJECT_ID_PATTERN), with whatever else a field says of itself. */
export const ProjectIdSchema = (options: Omit<StringOptions, 'pattern'> = {}): TString =>
  Type.String({ pattern: PROJECT_ID_PATTERN.source, ...options });
