import { isIPv4, isIPv6 } from 'node:net';
import { ipKeyGenerator } from 'express-rate-limit';
import { argumentError, optionError } from './errors.js';

/**
 * The form of a client address used in events and logs: an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) becomes the IPv4 address.
 *
 * @example
 * clientAddress('::ffff:192.0.2.1'); // '192.0.2.1'
 */
export function clientAddress(address: string): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) throw argumentError('address', 'must be an IP address');

  return ipKeyGenerator(address, false);
}

/**
 * The key a client address is counted under: IPv4 as is, IPv4-mapped IPv6 as IPv4, other
 * IPv6 as its network prefix (a /64 gives one subscriber 2^64 addresses to rotate through;
 * express-rate-limit 667). Uses express-rate-limit's `ipKeyGenerator`.
 *
 * @example
 * addressKey('2001:db8:1:2::7', 56); // '2001:db8:1::/56'
 */
export function addressKey(address: string, ipv6Subnet: number): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) throw argumentError('address', 'must be an IP address');

  return ipKeyGenerator(address, ipv6Subnet);
}

/** Checks an `ipv6Subnet` option: a prefix length from 32 to 64. */
export function checkIpv6Subnet(value: unknown): number {
  if (value === undefined) return 56;
  if (Number.isInteger(value) && (value as number) >= 32 && (value as number) <= 64) {
    return value as number;
  }

  throw optionError(
    'ipv6Subnet',
    value,
    'must be an integer prefix length from 32 to 64',
    'use 56 (the default, one home or office) or 64 (one subscriber line)',
  );
}
