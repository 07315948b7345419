import { optionError } from './errors.js';

/** A compiled `routes` list: which methods and paths one peer may call. */
export interface RouteRules {
  allows(method: string, path: string): boolean;
}

interface Rule {
  method: string;
  pattern: RegExp;
}

const METHOD = /^(\*|[A-Z]+)$/;
const SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=:@%-]+$/;
// A dot segment, plain or percent-encoded: a proxy in front may resolve it, so a path like
// /jobs/%2e%2e/admin must never match a rule written for /jobs/*.
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;
const DOT_IN_PATH = /\/(\.|%2e){1,2}(\/|$)/i;
// A separator in disguise: Express decodes `%2F` and `%5C` inside a `:param`, and WHATWG URL
// parsers read `\` as `/`. `/jobs/..%2Fadmin` or `/jobs/..\admin` would otherwise pass a
// `/jobs/*` rule as one segment and reach the handler as `../admin`.
const HIDDEN_SEPARATOR = /\\|%2f|%5c/i;

const FIX = 'write rules like "POST /jobs", "GET /jobs/*" or "GET /status/**"';

function segmentPattern(segment: string): string {
  return segment === '*' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A rule segment no path can match (see `unusable`): refused at start-up, not left dead.
function unusableSegment(segment: string): boolean {
  return DOT_SEGMENT.test(segment) || HIDDEN_SEPARATOR.test(segment);
}

function compile(option: string, text: unknown): Rule {
  const match = typeof text === 'string' ? /^(\S+) (\/\S*)$/.exec(text) : null;
  if (match === null || !METHOD.test(match[1] as string)) {
    throw optionError(option, text, 'must be "METHOD /path"', FIX);
  }
  const path = match[2] as string;
  const segments = path === '/' ? [] : path.split('/').slice(1);
  const rest = segments.at(-1) === '**';
  if (rest) segments.pop();
  for (const segment of segments) {
    if (segment === '*' || (SEGMENT.test(segment) && !unusableSegment(segment))) continue;
    throw optionError(option, text, `has a bad path segment "${segment}"`, FIX);
  }

  const body = segments.map((segment) => `/${segmentPattern(segment)}`).join('');
  const source = rest ? `^${body}(?:/[^/]+)*$` : `^${body || '/'}$`;
  return { method: match[1] as string, pattern: new RegExp(source) };
}

// Paths a rule can never match: not origin-form, an empty segment (`//`, a trailing `/`),
// a dot segment, or a hidden separator.
function unusable(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return true;
  if (path.length > 1 && (path.endsWith('/') || path.includes('//'))) return true;

  return DOT_IN_PATH.test(path) || HIDDEN_SEPARATOR.test(path);
}

/**
 * Compiles rules of the form `METHOD /path`: `*` as the method matches any method, `*` as
 * a segment matches one non-empty segment, a final `/**` matches any remainder. Paths are
 * matched as sent (not decoded), without the query. A path with an empty or dot segment, a
 * backslash, or an encoded `/` or `\` matches nothing.
 *
 * @example
 * compileRoutes('peers[0].routes', ['POST /jobs', 'GET /jobs/*']).allows('GET', '/jobs/7');
 */
export function compileRoutes(option: string, value: unknown): RouteRules {
  if (!Array.isArray(value) || value.length === 0) {
    throw optionError(option, value, 'must be a non-empty array of rules', FIX);
  }
  const rules = value.map((text, index) => compile(`${option}[${index}]`, text));

  return {
    allows(method: string, path: string): boolean {
      const query = path.indexOf('?');
      const pathOnly = query === -1 ? path : path.slice(0, query);
      if (unusable(pathOnly)) return false;

      return rules.some(
        (rule) => (rule.method === '*' || rule.method === method) && rule.pattern.test(pathOnly),
      );
    },
  };
}
