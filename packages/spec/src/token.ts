import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './string-enum.js';
import { TimestampSchema } from './timestamp.js';

/** viewer: read; editor: submit, cancel, deploy, predict; admin: everything, incl. tokens. */
export const TokenRoleSchema = StringEnum(['viewer', 'editor', 'admin']);

/** What a token grants (`GET /v1/tokens`); never the secret itself. */
export const TokenSchema = Type.Object(
  {
    tokenId: Type.String(),
    /** A project id, or `*` for every project. */
    project: Type.String(),
    role: TokenRoleSchema,
    description: Type.String(),
    createTime: TimestampSchema,
  },
  { $id: 'Token' },
);
export type Token = Static<typeof TokenSchema>;

/** `POST /v1/tokens`. */
export const CreateTokenRequestSchema = Type.Object(
  {
    project: Type.String({ description: 'A project id, or * (admin tokens only)' }),
    role: TokenRoleSchema,
    description: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { $id: 'CreateTokenRequest', additionalProperties: false },
);
export type CreateTokenRequest = Static<typeof CreateTokenRequestSchema>;

/** The created token: its grant plus the secret, shown this once. */
export const CreatedTokenSchema = Type.Object(
  {
    tokenId: Type.String(),
    project: Type.String(),
    role: TokenRoleSchema,
    description: Type.String(),
    createTime: TimestampSchema,
    token: Type.String({ description: 'The bearer token; it is not stored and not shown again' }),
  },
  { $id: 'CreatedToken' },
);
export type CreatedToken = Static<typeof CreatedTokenSchema>;

export const ListTokensResponseSchema = Type.Object(
  { tokens: Type.Array(TokenSchema) },
  { $id: 'ListTokensResponse' },
);
export type ListTokensResponse = Static<typeof ListTokensResponseSchema>;
