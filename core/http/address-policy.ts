import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

import { attemptAsync } from '../attempt';
import { DocumentError } from '../document/document-error';

/**
 * Addresses no document download may reach unless the user allows them: loopback, private, shared
 * (CGNAT), link-local (cloud metadata at 169.254.169.254), unique-local, multicast and reserved ranges.
 */
const NOT_PUBLIC: Array<[network: string, prefix: number, family: 'ipv4' | 'ipv6']> = [
	['0.0.0.0', 8, 'ipv4'],
	['10.0.0.0', 8, 'ipv4'],
	['100.64.0.0', 10, 'ipv4'],
	['127.0.0.0', 8, 'ipv4'],
	['169.254.0.0', 16, 'ipv4'],
	['172.16.0.0', 12, 'ipv4'],
	['192.0.0.0', 24, 'ipv4'],
	['192.168.0.0', 16, 'ipv4'],
	['198.18.0.0', 15, 'ipv4'],
	['224.0.0.0', 4, 'ipv4'],
	['240.0.0.0', 4, 'ipv4'],
	['::', 128, 'ipv6'],
	['::1', 128, 'ipv6'],
	['100::', 64, 'ipv6'],
	// Local-use NAT64 (RFC 8215): translates to whatever IPv4 the operator's gateway reaches.
	['64:ff9b:1::', 48, 'ipv6'],
	['fc00::', 7, 'ipv6'],
	['fe80::', 10, 'ipv6'],
	['ff00::', 8, 'ipv6'],
];

const notPublic = new BlockList();
for (const [network, prefix, family] of NOT_PUBLIC) notPublic.addSubnet(network, prefix, family);

/** The eight 16-bit groups of an IPv6 address. */
function ipv6Groups(address: string): number[] {
	let text = address.toLowerCase();
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted[1].split('.').map(Number);
		text =
			text.slice(0, -dotted[1].length) +
			`${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const parse = (part: string | undefined) =>
		part ? part.split(':').map((group) => parseInt(group, 16)) : [];
	const start = parse(head);
	const end = parse(tail);
	return tail === undefined
		? start
		: [...start, ...new Array(8 - start.length - end.length).fill(0), ...end];
}

const ipv4From = (high: number, low: number) =>
	[high >> 8, high & 255, low >> 8, low & 255].join('.');

/**
 * IPv4 carried inside IPv6, judged as IPv4: compatible `::a.b.c.d`, mapped `::ffff:a.b.c.d`, translated
 * `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4 `2002:AABB:CCDD::`.
 */
function embeddedIpv4(address: string): string | undefined {
	const groups = ipv6Groups(address);
	const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
	const compatible = zeros(0, 6);
	const mapped = zeros(0, 5) && groups[5] === 0xffff;
	const translated = zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0;
	const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
	if (compatible || mapped || translated || nat64) return ipv4From(groups[6], groups[7]);
	if (groups[0] === 0x2002) return ipv4From(groups[1], groups[2]);
	return undefined;
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
	return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

export function isPublicAddress(address: string): boolean {
	const inner = isIP(address) === 6 ? embeddedIpv4(address) : undefined;
	if (inner) return isPublicAddress(inner);
	return !notPublic.check(address, familyOf(address));
}

/** Private networks the user lets documents come from: `*`, or addresses and CIDR ranges. */
export class AllowedNetworks {
	private readonly list = new BlockList();
	private readonly all: boolean;

	constructor(text: string) {
		const entries = text
			.split(/[\s,;]+/)
			.map((entry) => entry.trim())
			.filter(Boolean);
		this.all = entries.includes('*');
		for (const entry of entries) {
			if (entry === '*') continue;
			const [network, prefixText] = entry.replace(/^\[|\]$/g, '').split('/');
			const family = isIP(network);
			const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
			if (
				!family ||
				!Number.isInteger(prefix) ||
				prefix < 0 ||
				prefix > (family === 6 ? 128 : 32)
			) {
				throw new DocumentError(
					`"${entry}" in Allowed Private Networks is not an IP address or CIDR range`,
					'Write addresses or ranges such as 10.0.0.0/8, 192.168.1.20 or fd00::/8, or * for all.',
				);
			}
			this.list.addSubnet(network, prefix, family === 6 ? 'ipv6' : 'ipv4');
		}
	}

	allows(address: string): boolean {
		if (this.all) return true;
		const inner = isIP(address) === 6 ? embeddedIpv4(address) : undefined;
		return this.list.check(inner ?? address, inner ? 'ipv4' : familyOf(address));
	}
}

export type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = async (hostname) =>
	await dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The address to connect to for a host: every address it resolves to must be public or allowed (a name
 * that also resolves to a private address is refused, so a second lookup cannot swap it in), and the
 * connection is then made to the address checked here.
 */
export async function resolveAllowedAddress(
	hostname: string,
	allowed: AllowedNetworks,
	lookup: Lookup = systemLookup,
): Promise<{ address: string; family: 4 | 6 }> {
	const bare = hostname.replace(/^\[|\]$/g, '');
	const literal = isIP(bare);
	let addresses: Array<{ address: string; family: number }>;
	if (literal) {
		addresses = [{ address: bare, family: literal }];
	} else {
		const resolved = await attemptAsync(async () => await lookup(bare));
		if (!resolved.ok || !resolved.value.length) {
			throw new DocumentError(
				`Could not download the document: the host name "${bare}" could not be resolved`,
				'Check the URL.',
			);
		}
		addresses = resolved.value;
	}
	const refused = addresses.find(
		({ address }) => !isPublicAddress(address) && !allowed.allows(address),
	);
	if (refused) {
		const named = literal ? refused.address : `"${bare}" (${refused.address})`;
		throw new DocumentError(
			`Downloading from ${named} is not allowed: it is a private, local or link-local address`,
			'Documents are only downloaded from public addresses, so a URL from an AI agent or a user cannot reach internal services. For a server on your own network, list it in the Allowed Private Networks option (e.g. 10.0.0.0/8).',
		);
	}
	const chosen = addresses[0];
	return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
