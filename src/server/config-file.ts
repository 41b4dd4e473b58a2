// The server's configuration file (`ferry server --config <file>`, or FERRY_SERVER_CONFIG): where
// the project is (a folder or a git repository, see project/config.ts) and, optionally, how the
// server listens and works. Flags given on the command line win over the file. Problems are
// located file:line:col like a manifest's.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FerryError } from '../errors.ts';
import { parseWith } from '../manifest/parse.ts';
import { durationSchema } from '../manifest/schema.ts';
import { githubConfigSchema } from './github/config.ts';
import { projectConfigSchema, type ProjectConfig } from './project/config.ts';

export const serverConfigSchema = z
  .object({
    project: projectConfigSchema,
    listen: z
      .string()
      .optional()
      .describe('host:port to listen on, e.g. 0.0.0.0:7070 (the --listen flag wins)'),
    workers: z.number().int().min(1).max(64).optional().describe('requests this replica runs at once'),
    grace: durationSchema.optional().describe('on SIGTERM, how long running requests may take to finish'),
    github: githubConfigSchema.optional(),
  })
  .strict()
  .describe("ferry server's configuration file");

export type ServerConfig = z.infer<typeof serverConfigSchema>;

export function parseServerConfig(text: string, file: string): ServerConfig {
  return parseWith(serverConfigSchema, text, file, 'a server configuration (project: …)').manifest;
}

export function readServerConfig(file: string): ServerConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FerryError('E_READ', `cannot read the server configuration ${file}`, { cause: e });
  }
  return parseServerConfig(text, file);
}

export type { ProjectConfig };
