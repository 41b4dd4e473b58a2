// Making and listing tokens — shared by the API's admin routes and `ferry token`, which works on
// the store directly when no server runs yet (the first admin token of an installation).
import type { Role, ServerStoreDriver, TokenRecord } from '../store/server-types.ts';
import { newToken, tokenHash, tokenId } from './tokens.ts';

export async function createToken(
  records: ServerStoreDriver,
  o: {
    name: string;
    role: Role;
    environments: readonly string[];
    createdBy: string;
    now: number;
    expiresInSeconds?: number;
  },
): Promise<{ token: string; record: TokenRecord }> {
  const token = newToken();
  const record: TokenRecord = {
    id: tokenId(token),
    name: o.name,
    role: o.role,
    environments: [...o.environments],
    hash: tokenHash(token),
    createdAt: o.now,
    createdBy: o.createdBy,
    expiresAt: o.expiresInSeconds === undefined ? undefined : o.now + o.expiresInSeconds * 1000,
    revokedAt: undefined,
    lastUsedAt: undefined,
    lastUsedFrom: undefined,
  };
  await records.insertToken(record);
  return { token, record };
}
