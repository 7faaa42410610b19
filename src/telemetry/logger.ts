/**
 * The server's logger: pino, one JSON object per line on stdout, or
 * readable lines (pino-pretty) when stdout is a terminal. Secrets never
 * reach a line: API keys keep only their public prefix, bearer tokens and
 * passwords in URLs are replaced, and the fields that carry them by name
 * are redacted, whatever a caller passes.
 */
import pino from 'pino';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Readable colored lines rather than JSON; by default when stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go (stdout by default); tests pass a stream to read them. */
  destination?: DestinationStream;
}

const apiKeys = /\bkpg_([a-z0-9]{8})_[A-Za-z0-9_-]+/g;
const bearer = /\b(Bearer\s+)[^\s"',;]+/gi;
const urlPassword = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*):[^@\s/]+@/gi;

/** The text with API keys cut to their prefix and tokens and URL passwords replaced. */
export function scrubSecrets(text: string): string {
  if (!text.includes('kpg_') && !text.includes('@') && !/bearer/i.test(text)) return text;
  return text.replace(apiKeys, 'kpg_$1_…').replace(bearer, '$1[redacted]').replace(urlPassword, '$1:[redacted]@');
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  // An Error's message and stack are not own enumerable fields: copying it would leave the err serializer an empty object.
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, depth + 1);
  return out;
}

const secretFields = ['authorization', 'password', 'secret', 'apiKey', 'token', 'databaseUrl', 'DATABASE_URL'];

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination =
    options.destination ?? (usePretty ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }) : pino.destination(1));
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...secretFields, ...secretFields.map((field) => `*.${field}`)], censor: '[redacted]' },
      formatters: { log: (object) => scrubValue(object, 0) as Record<string, unknown> },
      serializers: {
        err: (error: unknown) => {
          if (!(error instanceof Error)) return scrubValue(error, 0);
          const serialized = pino.stdSerializers.err(error);
          return { ...serialized, message: scrubSecrets(serialized.message ?? ''), stack: scrubSecrets(serialized.stack ?? '') };
        },
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** Yoga's `logging` option over a pino logger, so that yoga's own messages (masked errors) are lines too. */
export function yogaLogging(logger: Logger): { debug: (...args: unknown[]) => void; info: (...args: unknown[]) => void; warn: (...args: unknown[]) => void; error: (...args: unknown[]) => void } {
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    if (!logger.isLevelEnabled(level)) return;
    const error = args.find((arg): arg is Error => arg instanceof Error);
    const text = args.filter((arg) => !(arg instanceof Error)).map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
    if (error) logger[level]({ err: error }, text || error.message);
    else logger[level](text);
  };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
