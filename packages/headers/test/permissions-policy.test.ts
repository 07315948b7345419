import { describe, expect, it } from 'vitest';
import { GATEWAY_PERMISSIONS_POLICY, permissionsPolicyValue } from '../src/permissions-policy.js';
import { thrown } from './support/thrown.js';

describe('permissionsPolicyValue', () => {
  it('denies camera, microphone, geolocation and payment by default', () => {
    const value = permissionsPolicyValue(GATEWAY_PERMISSIONS_POLICY);
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
      expect(value).toContain(`${feature}=()`);
    }
  });

  it('renders self, * and quoted origins as a structured-field dictionary', () => {
    const value = permissionsPolicyValue({
      fullscreen: ['self', 'https://viz.usegalaxy.example'],
      autoplay: ['*'],
    });
    expect(value).toBe('fullscreen=(self "https://viz.usegalaxy.example"), autoplay=(*)');
  });

  it.each([
    [{ Camera: [] }],
    [{ 'camera=()': [] }],
    [{ camera: ['https://a.example"), evil=(*'] }],
    [{ camera: ['javascript:alert(1)'] }],
    [{ camera: 'self' }],
  ])('refuses a name or origin that would break the header: %j', (policy) => {
    const err = thrown(() => permissionsPolicyValue(policy as never));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toMatch(/option permissionsPolicy\[".+"\] got .*Fix:/);
  });
});
