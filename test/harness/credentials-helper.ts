import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestOptions,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
} from 'n8n-workflow';

/**
 * Resolves the `={{$credentials.field}}` templates of a generic `authenticate` block, the only form the
 * pack's credential types use (`=Bearer {{$credentials.apiKey}}`).
 */
function resolveTemplate(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, field: string) =>
			String(credentials[field] ?? ''),
		);
}

/**
 * Credentials for in-process runs: values come from the test, authentication is applied the way n8n
 * does for credential types with a generic `authenticate` block (headers and query string).
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Map<string, ICredentialType>,
		private readonly values: Record<string, ICredentialDataDecryptedObject>,
		/** Origins to send elsewhere (a node with a fixed service URL, pointed at a loopback fake). */
		private readonly redirectOrigins: Record<string, string> = {},
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		for (const [from, to] of Object.entries(this.redirectOrigins)) {
			if (options.url?.startsWith(from)) options.url = to + options.url.slice(from.length);
		}
		const authenticate = this.types.get(typeName)?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (authenticate?.type === 'generic') {
			const { headers = {}, qs = {} } = authenticate.properties as {
				headers?: Record<string, unknown>;
				qs?: Record<string, unknown>;
			};
			options.headers = { ...options.headers };
			for (const [key, value] of Object.entries(headers))
				options.headers[key] = resolveTemplate(value, credentials) as string;
			if (Object.keys(qs).length) {
				options.qs = { ...options.qs };
				for (const [key, value] of Object.entries(qs))
					options.qs[key] = resolveTemplate(value, credentials) as string;
			}
		}
		return options;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		throw new Error(`getCredentials(${type}) is not used in tests`);
	}

	async getDecrypted(_additionalData: unknown, _details: INodeCredentialsDetails, type: string) {
		const values = this.values[type];
		if (!values) throw new Error(`No test credentials of type "${type}"`);
		return { ...values };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.get(type)?.properties ?? [];
	}
}
