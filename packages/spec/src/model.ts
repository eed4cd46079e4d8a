import { Type, type Static } from '@sinclair/typebox';
import { LabelsSchema } from './labels.js';
import { ID_PATTERN } from './names.js';
import { TimestampSchema } from './timestamp.js';
import { VersionSchema } from './version.js';

/** What `POST /v1/projects/{p}/models` accepts; `name` is the model id. */
export const ModelInputSchema = Type.Object(
  {
    name: Type.String({ pattern: ID_PATTERN.source }),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
    labels: Type.Optional(LabelsSchema),
    /** Informative, as in Cloud ML (at most one region). */
    regions: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1 })),
  },
  { $id: 'ModelInput', additionalProperties: false },
);
export type ModelInput = Static<typeof ModelInputSchema>;

/** A model as the API returns it; `name` is the full resource name. */
export const ModelSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    /** The version that `:predict` on the model uses (Cloud ML embeds the whole Version). */
    defaultVersion: Type.Optional(VersionSchema),
    labels: Type.Optional(LabelsSchema),
    regions: Type.Optional(Type.Array(Type.String())),
    createTime: TimestampSchema,
    etag: Type.Optional(Type.String()),
  },
  { $id: 'Model' },
);
export type Model = Static<typeof ModelSchema>;

export const ListModelsResponseSchema = Type.Object(
  { models: Type.Array(ModelSchema), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ListModelsResponse' },
);
export type ListModelsResponse = Static<typeof ListModelsResponseSchema>;
