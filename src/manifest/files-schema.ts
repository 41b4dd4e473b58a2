// `files`: files mounted into the service's containers — a key of a Kubernetes Secret (what Swarm
// and compose mount at /run/secrets/<name>), a key of an existing ConfigMap, or content written in
// the manifest (a config file, rendered as a ConfigMap). Kept beside schema.ts, which lists it
// under the service body.
import { z } from 'zod';

export const fileModeSchema = z
  .string()
  .regex(/^0?[0-7]{3}$/, 'an octal mode like 0440 or 0644')
  .describe('Octal permission bits, e.g. "0440". Default "0444" (read-only for everyone).');

export const fileSchema = z
  .object({
    path: z
      .string()
      .regex(/^\/.*[^/]$/, 'an absolute file path, e.g. /run/secrets/db_password')
      .describe('Where the file appears in the container, e.g. /run/secrets/db_password.'),
    secret: z
      .string()
      .regex(/^[a-z0-9][-a-z0-9.]*$/, 'a Kubernetes Secret name')
      .optional()
      .describe('The Kubernetes Secret holding the file (created in each namespace, like secrets: refs).'),
    configMap: z
      .string()
      .regex(/^[a-z0-9][-a-z0-9.]*$/, 'a Kubernetes ConfigMap name')
      .optional()
      .describe('An existing Kubernetes ConfigMap holding the file (created in each namespace).'),
    key: z
      .string()
      .regex(/^[-._a-zA-Z0-9]+$/, 'a key: letters, digits, "-", "_" and "."')
      .optional()
      .describe("The Secret's or ConfigMap's key holding the content. Default: the file name of path."),
    content: z
      .string()
      .optional()
      .describe(
        'The file content, written here (a config file); rendered as a ConfigMap. Give secret or content.',
      ),
    mode: fileModeSchema.optional(),
  })
  .strict();

export const filesSchema = z
  .array(fileSchema)
  .describe(
    'Files mounted into every container of the service (its crons, migrations and checks too): a Secret key (secret, key), a ConfigMap key (configMap, key) or content written here.',
  );
