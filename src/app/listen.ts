/**
 * The receiver's listen address and credentials from flags and environment: `HOST:PORT`,
 * `[v6]:PORT`, `:PORT` or `PORT`; a token from `--token-file` or `$CREDITMETER_TOKEN`; a
 * non-loopback address without a token is refused.
 */
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { isIP } from 'node:net';
import { UsageError } from './config.js';

export const DEFAULT_LISTEN = '127.0.0.1:4318';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `--listen`; throws UsageError naming the expected form. */
export function parseListen(text: string): ListenAddress {
  const t = text.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(t) ?? /^()()(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (m && port > 65535)
    throw new UsageError(
      `--listen ${JSON.stringify(text)}: the port ${port} is out of range (1-65535; 0 picks a free one).`,
    );
  if (!m || !Number.isInteger(port))
    throw new UsageError(`--listen ${JSON.stringify(text)} is not HOST:PORT (e.g. 127.0.0.1:4318 or 0.0.0.0:4318).`);
  const host = m[1] || m[2] || '127.0.0.1';
  return { host, port };
}

/**
 * Why the receiver could not listen, in one sentence (`serve` and the dashboard's `--listen` say
 * it alike); null for an error that is not about the address.
 */
export function listenFailure(address: ListenAddress, err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const at = `${address.host}:${address.port}`;
  if (code === 'EADDRINUSE') return `${at} is already in use; pick another with --listen.`;
  if (code === 'EADDRNOTAVAIL' || code === 'EACCES') return `Cannot listen on ${at} (${code}).`;
  return null;
}

/** Whether an address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** The bearer token: the file's first line, else `$CREDITMETER_TOKEN`, else null. Throws UsageError. */
export function readToken(
  file: string | undefined,
  env: Record<string, string | undefined> = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): string | null {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read the token file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const token = text.split(/\r?\n/)[0]!.trim();
    if (token === '') throw new UsageError(`The token file ${file} is empty.`);
    // Whoever reads the token may write to the store: said, not refused (a shared runner's file may be so on purpose).
    if (process.platform !== 'win32' && othersMayRead(file))
      warn(`creditmeter: the token file ${file} can be read by other users of this machine; chmod 600 it.`);
    return token;
  }
  const fromEnv = env.CREDITMETER_TOKEN?.trim();
  return fromEnv ? fromEnv : null;
}

/** Whether a file's group or others may read it (false when it cannot be looked at). */
function othersMayRead(file: string): boolean {
  try {
    return (statSync(file).mode & 0o044) !== 0;
  } catch {
    return false;
  }
}

/** Refuses to expose the receiver beyond this machine without a token. */
export function checkExposure(address: ListenAddress, token: string | null): void {
  if (token === null && !isLoopback(address.host))
    throw new UsageError(
      `Refusing to listen on ${address.host}:${address.port} without a token: other machines could write to the store; pass --token-file FILE or set CREDITMETER_TOKEN.`,
    );
}

/** TLS files for HTTPS, both or neither. Throws UsageError. */
export function readTls(cert: string | undefined, key: string | undefined): { cert: Buffer; key: Buffer } | null {
  if (cert === undefined && key === undefined) return null;
  if (cert === undefined || key === undefined) throw new UsageError('--tls-cert and --tls-key go together.');
  const read = (f: string, what: string): Buffer => {
    try {
      return readFileSync(f);
    } catch (err) {
      throw new UsageError(`Cannot read the TLS ${what} ${f} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  };
  const pair = { cert: read(cert, 'certificate'), key: read(key, 'key') };
  // Checked here, so a wrong file is named before anything listens (not an OpenSSL code at start).
  try {
    createSecureContext(pair);
  } catch (err) {
    const reason = (err as Error).message.replace(/^error:[0-9A-F]+:/, '').trim();
    throw new UsageError(
      `The TLS certificate ${cert} and key ${key} are not a PEM certificate with its private key (${reason}).`,
    );
  }
  return pair;
}
