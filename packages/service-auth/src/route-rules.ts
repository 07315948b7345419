import { optionError } from './errors.js';

/** A compiled `routes` list: which methods and paths one peer may call. */
export interface RouteRules {
  allows(method: string, path: string): boolean;
}

interface Rule {
  method: string;
  segments: string[];
  rest: boolean;
}

const METHOD = /^(\*|[A-Z]+)$/;
const SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=:@%-]+$/;
// A dot segment, plain or percent-encoded: a proxy in front may resolve it, so a path like
// /jobs/%2e%2e/admin must never match a rule written for /jobs/*.
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

const FIX = 'write rules like "POST /jobs", "GET /jobs/*" or "GET /status/**"';

function compile(option: string, text: unknown): Rule {
  const match = typeof text === 'string' ? /^(\S+) (\/\S*)$/.exec(text) : null;
  if (match === null || !METHOD.test(match[1] as string)) {
    throw optionError(option, text, 'must be "METHOD /path"', FIX);
  }
  const segments = splitPath(match[2] as string);
  const rest = segments.at(-1) === '**';
  if (rest) segments.pop();
  for (const segment of segments) {
    if (segment === '*' || (SEGMENT.test(segment) && !DOT_SEGMENT.test(segment))) continue;
    throw optionError(option, text, `has a bad path segment "${segment}"`, FIX);
  }

  return { method: match[1] as string, segments, rest };
}

function splitPath(path: string): string[] {
  return path === '/' ? [] : path.split('/').slice(1);
}

function segmentsMatch(rule: Rule, parts: string[]): boolean {
  if (parts.length < rule.segments.length) return false;
  if (!rule.rest && parts.length !== rule.segments.length) return false;

  return rule.segments.every((want, index) => want === '*' || want === parts[index]);
}

/**
 * Compiles rules of the form `METHOD /path`: `*` as the method matches any method, `*` as
 * a segment matches one non-empty segment, a final `/**` matches any remainder. Paths are
 * matched as sent (not decoded), without the query. A path with an empty or dot segment
 * matches nothing.
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
      if (!path.startsWith('/')) return false;
      const parts = splitPath(path.split('?', 1)[0] as string);
      if (parts.some((part) => part === '' || DOT_SEGMENT.test(part))) return false;

      return rules.some((rule) => matchesMethod(rule, method) && segmentsMatch(rule, parts));
    },
  };
}

function matchesMethod(rule: Rule, method: string): boolean {
  return rule.method === '*' || rule.method === method;
}
