import { describe, expect, it } from 'vitest';
import { resolveGatewayConfig } from '../src/config.js';

const jobRunnerUrl = 'http://127.0.0.1:8081';

describe('resolveGatewayConfig', () => {
  it('listens on loopback port 8080 by default', () => {
    const config = resolveGatewayConfig({ jobRunnerUrl });

    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      jobRunnerUrl: new URL(jobRunnerUrl),
      jobRunnerTimeoutMs: 15_000,
      trustProxy: false,
    });
  });

  it.each([
    [{ jobRunnerUrl: 'file:///etc/passwd' }, /option jobRunnerUrl must be an http: or https: URL/],
    [{ jobRunnerUrl: '127.0.0.1:8081' }, /got "127.0.0.1:8081"/],
    [{ jobRunnerUrl: '' }, /option jobRunnerUrl/],
    [{ jobRunnerUrl, port: 70_000 }, /option port must be an integer from 0 to 65535/],
    [{ jobRunnerUrl, host: '' }, /option host must be a non-empty string/],
    [{ jobRunnerUrl, jobRunnerTimeoutMs: -5 }, /option jobRunnerTimeoutMs .* got -5/],
    [{ jobRunnerUrl, trustProxy: true as unknown as string }, /option trustProxy must name the/],
    [{ jobRunnerUrl, trustProxy: [] }, /option trustProxy must name the proxies/],
    [{ jobRunnerUrl, trustProxy: [' '] }, /option trustProxy must name the proxies/],
  ])('refuses %j at start-up with the option and the fix', (options, message) => {
    expect(() => resolveGatewayConfig(options)).toThrow(
      expect.objectContaining({
        code: 'ERR_GATEWAY_CONFIG',
        message: expect.stringMatching(message),
      }),
    );
    expect(() => resolveGatewayConfig(options)).toThrow(/^@galaxy-harden-examples\/gateway: /);
  });
});
