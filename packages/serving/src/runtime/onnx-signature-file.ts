import { Type, type Static } from '@sinclair/typebox';
import { StratusError, schemaViolations } from '@stratus/spec';
import type { Storage } from '@stratus/storage';

/** The optional file beside an ONNX version's `model.onnx`. */
export const ONNX_SIGNATURE_FILE = 'signature.json';

const NameSchema = Type.String({ minLength: 1, maxLength: 256 });

/**
 * `signature.json`: names clients use for the graph's inputs and outputs
 * (PyTorch exports names such as `input.1`), and the classes of an output
 * whose rows are class scores, keyed by the graph's own names.
 */
export const OnnxSignatureFileSchema = Type.Object(
  {
    inputs: Type.Optional(
      Type.Record(NameSchema, Type.Object({ name: NameSchema }, { additionalProperties: false })),
    ),
    outputs: Type.Optional(
      Type.Record(
        NameSchema,
        Type.Object(
          {
            name: Type.Optional(NameSchema),
            labels: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 100_000 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type OnnxSignatureFile = Static<typeof OnnxSignatureFileSchema>;

const invalid = (uri: string, detail: string): StratusError =>
  new StratusError('BUNDLE_INVALID', { uri, detail: `${ONNX_SIGNATURE_FILE} ${detail}` });

/** The bundle's signature file, `{}` when it has none; a malformed one is BUNDLE_INVALID naming the field. */
export async function readOnnxSignatureFile(
  storage: Storage,
  dir: string,
): Promise<OnnxSignatureFile> {
  const uri = `${dir}/${ONNX_SIGNATURE_FILE}`;
  if (!(await storage.exists(uri))) return {};
  let value: unknown;
  try {
    value = JSON.parse((await storage.read(uri)).toString('utf8'));
  } catch (cause) {
    if (cause instanceof StratusError) throw cause;
    throw invalid(dir, 'is not valid JSON');
  }
  const [first] = schemaViolations(OnnxSignatureFileSchema, value);
  if (first !== undefined) {
    throw invalid(
      dir,
      first.field === '' ? first.description : `field "${first.field}" ${first.description}`,
    );
  }
  return value as OnnxSignatureFile;
}
