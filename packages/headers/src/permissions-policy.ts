import { optionError } from './errors.js';
import { isPlainObject } from './option-keys.js';

/**
 * Allowed origins per feature: `[]` denies it, `['self']` allows the page's own origin.
 *
 * @example
 * const policy: PermissionsPolicy = { camera: [], fullscreen: ['self'] };
 */
export type PermissionsPolicy = Readonly<Record<string, readonly string[]>>;

/**
 * The default policy: a gateway page needs none of the powerful browser features, so each is
 * denied to the page and to anything it embeds, which blunts a script that got in anyway.
 *
 * @example
 * securityHeaders({ permissionsPolicy: { ...GATEWAY_PERMISSIONS_POLICY, fullscreen: ['self'] } });
 */
export const GATEWAY_PERMISSIONS_POLICY: PermissionsPolicy = Object.freeze({
  camera: [],
  microphone: [],
  geolocation: [],
  'display-capture': [],
  payment: [],
  usb: [],
  serial: [],
  hid: [],
});

const FEATURE = /^[a-z][a-z0-9-]*$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;

/**
 * Renders a policy as the structured-field dictionary the header expects
 * (`camera=(), fullscreen=(self "https://a.example")`), checking every name and origin.
 *
 * @example
 * permissionsPolicyValue({ camera: [], fullscreen: ['self'] }); // 'camera=(), fullscreen=(self)'
 */
export function permissionsPolicyValue(policy: PermissionsPolicy): string {
  if (!isPlainObject(policy)) {
    throw optionError(
      'permissionsPolicy',
      policy,
      'it must be an object of feature names to origin lists',
      'omit it for GATEWAY_PERMISSIONS_POLICY, or write e.g. { camera: [] }',
    );
  }

  return Object.entries(policy)
    .map(([feature, origins]) => `${feature}=(${renderOrigins(feature, origins)})`)
    .join(', ');
}

function renderOrigins(feature: string, origins: unknown): string {
  if (!FEATURE.test(feature) || !Array.isArray(origins)) throw badFeature(feature, origins);

  return origins
    .map((origin: unknown) => {
      if (origin === 'self' || origin === '*') return origin;
      if (typeof origin === 'string' && ORIGIN.test(origin)) return JSON.stringify(origin);
      throw badFeature(feature, origin);
    })
    .join(' ');
}

function badFeature(feature: string, value: unknown) {
  return optionError(
    `permissionsPolicy[${JSON.stringify(feature)}]`,
    value,
    'features are lower-case names mapped to arrays of self, * or https:// origins',
    `write e.g. { camera: [] } to deny, or { fullscreen: ['self'] } to allow the own origin`,
  );
}
