/**
 * Plain words for network failures. Raw codes stay out of the message: n8n swaps any message that
 * contains one for its own generic sentence, which would hide the provider's name.
 */
export function describeNetworkFailure(code: string | undefined): string {
	switch (code) {
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'ECONNRESET':
		case 'EPIPE':
		case 'UND_ERR_SOCKET':
			return 'the connection was dropped';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the host name could not be resolved';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'the host is unreachable';
		default:
			return 'the request failed before an answer came back';
	}
}

/** The code of a failed request: n8n wraps axios errors, so it may sit on the cause. */
export function networkErrorCode(error: unknown): string | undefined {
	for (const candidate of [error, (error as { cause?: unknown })?.cause]) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string' && code) return code;
	}
	return undefined;
}
