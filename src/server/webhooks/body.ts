// The raw body of a webhook delivery, as the exact bytes received (a signature is over them, not
// over a re-encoded string), refused past the hook's limit before and while it is read.
import { httpError } from '../errors.ts';

export async function webhookBody(request: Request, limit: number, sender: string): Promise<Buffer> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > limit)
    throw httpError('E_TOO_LARGE', `the body is ${length} bytes; ${sender} sends at most ${limit}`);
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > limit) throw httpError('E_TOO_LARGE', `the body is over the limit of ${limit} bytes`);
  return body;
}
