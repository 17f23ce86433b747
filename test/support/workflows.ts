import type { INode, INodeParameters } from 'n8n-workflow';

import type { FixtureItem } from '../harness/nodes/fixture-items';
import type { WorkflowJson } from '../harness/run-workflow';

export const TARGET = 'Target';

export interface TargetNode {
	type: string;
	parameters: INodeParameters;
	credentials?: INode['credentials'];
	continueOnFail?: boolean;
	/** n8n's On Error setting; `continueOnFail` is the short form of 'continueRegularOutput'. */
	onError?: INode['onError'];
	/** The node's version as saved in the workflow; 1 unless given. */
	typeVersion?: number;
}

/** Fixture Items → the node under test, as one real workflow. */
export function fixtureWorkflow(items: FixtureItem[], target: TargetNode): WorkflowJson {
	return {
		nodes: [
			{
				id: 'source',
				name: 'Source',
				type: 'ocr-test.fixtureItems',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(items) },
			},
			{
				id: 'target',
				name: TARGET,
				type: target.type,
				typeVersion: target.typeVersion ?? 1,
				position: [200, 0],
				parameters: target.parameters,
				credentials: target.credentials,
				...(target.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				...(target.onError ? { onError: target.onError } : {}),
			},
		],
		connections: { Source: { main: [[{ node: TARGET, type: 'main', index: 0 }]] } },
	};
}
